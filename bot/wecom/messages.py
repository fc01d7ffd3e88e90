"""The XML WeCom posts to the callback, read safely: the outer envelope (its ``Encrypt``) and the decrypted
message inside.

The standard library's ElementTree with limits rather than defusedxml (not a dependency): the bodies are
small and flat, a document type declaration is refused outright (so no entity of any kind, internal or
external, is ever expanded), and the size is capped before parsing. Expat ≥ 2.4.1 also guards against
entity blow-ups on its own.

>>> message = parse_message(
...     "<xml><ToUserName><![CDATA[ww1]]></ToUserName><FromUserName><![CDATA[LiXin]]></FromUserName>"
...     "<CreateTime>1409659813</CreateTime><MsgType><![CDATA[text]]></MsgType>"
...     "<Content><![CDATA[谁牵头？]]></Content><MsgId>4561255354251345929</MsgId><AgentID>218</AgentID></xml>"
... )
>>> message.user, message.msg_type, message.content, message.msg_id
('LiXin', 'text', '谁牵头？', '4561255354251345929')
>>> encrypted_part("<xml><ToUserName>ww1</ToUserName><Encrypt><![CDATA[abc=]]></Encrypt></xml>")
'abc='
"""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass

MAX_XML_BYTES = 64 * 1024  # a text message is at most 2048 bytes; the envelope adds base64 and a few tags


class BadMessage(Exception):
    """The body is not a WeCom callback XML (too large, malformed, or with a DTD)."""


@dataclass(frozen=True)
class InboundMessage:
    """One decrypted callback: a user's message (``msg_type`` text, image, voice…) or an ``event``."""

    user: str  # FromUserName: the sender's UserID
    msg_type: str
    content: str = ""  # text messages only
    msg_id: str = ""  # messages only (events have none)
    event: str = ""  # events only: enter_agent, subscribe…
    agent_id: str = ""
    create_time: str = ""


def _root(xml: str | bytes) -> ElementTree.Element:
    data = xml.encode("utf-8") if isinstance(xml, str) else xml
    if len(data) > MAX_XML_BYTES:
        raise BadMessage(f"the XML is over {MAX_XML_BYTES} bytes")
    if b"<!DOCTYPE" in data.upper() or b"<!ENTITY" in data.upper():
        raise BadMessage("the XML has a document type declaration")
    try:
        return ElementTree.fromstring(data)
    except ElementTree.ParseError as error:
        raise BadMessage(f"malformed XML ({error})") from error


def _text(root: ElementTree.Element, tag: str) -> str:
    return (root.findtext(tag) or "").strip()


def encrypted_part(body: str | bytes) -> str:
    """The ``Encrypt`` field of the envelope WeCom posts."""
    encrypt = _text(_root(body), "Encrypt")
    if not encrypt:
        raise BadMessage("the XML has no Encrypt field")
    return encrypt


def parse_message(xml: str | bytes) -> InboundMessage:
    """The decrypted message; the text content is kept as sent (not stripped)."""
    root = _root(xml)
    user, msg_type = _text(root, "FromUserName"), _text(root, "MsgType").lower()
    if not user or not msg_type:
        raise BadMessage("the message has no FromUserName or MsgType")
    return InboundMessage(
        user=user,
        msg_type=msg_type,
        content=root.findtext("Content") or "",
        msg_id=_text(root, "MsgId"),
        event=_text(root, "Event").lower(),
        agent_id=_text(root, "AgentID"),
        create_time=_text(root, "CreateTime"),
    )
