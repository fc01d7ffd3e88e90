"""The DingTalk (钉钉) channel: an enterprise-internal robot's outgoing callback (HTTP mode), its signature
checked, questions answered through the desk, and replies with their sources through the message's
``sessionWebhook``.

Entry point: :func:`bot.dingtalk.routes.dingtalk_router`, mounted by the HTTP API. Set-up: docs/dingtalk.md.
"""
