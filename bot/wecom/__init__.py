"""The WeCom (企业微信) channel: a self-built app's callback (verified and decrypted as WeCom's scheme says),
questions answered through the desk, and replies with their sources through WeCom's message API.

Entry point: :func:`bot.wecom.routes.wecom_router`, mounted by the HTTP API. Set-up: docs/wecom.md.
"""
