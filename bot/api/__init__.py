"""The HTTP API (``luoshi api``): the desk (:mod:`bot.desk`) over HTTP, for office portals, scripts and
chat front-ends (an OpenAI-compatible ``/v1/chat/completions``). The web console and WeCom are served by
the same process (:mod:`bot.api.channels`). docs/api.md describes the endpoints.
"""
