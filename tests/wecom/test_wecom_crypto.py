"""The callback crypto against WeCom's published sample vectors (the WXBizMsgCrypt samples' Token,
EncodingAESKey, corp id, signatures and ciphertexts), and against the fake platform's own implementation."""

from __future__ import annotations

import pytest

from bot.wecom.crypto import CallbackCrypto, DecryptError, SignatureError
from bot.wecom.messages import encrypted_part, parse_message
from tests.wecom.fake_wecom import PlatformCrypto

# The C#/Java sample (企业微信 WXBizMsgCrypt, 2014): a user's message and a URL check.
SAMPLE_TOKEN, SAMPLE_KEY, SAMPLE_CORP = "QDG6eK", "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C", "wx5823bf96d3bd56c7"
SAMPLE_POST = {
    "msg_signature": "477715d11cdb4164915debcba66cb864d751f3e6",
    "timestamp": "1409659813",
    "nonce": "1372623149",
}
SAMPLE_BODY = (
    "<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName><Encrypt><![CDATA[RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo"
    "+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiS"
    "pGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ"
    "3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Nc"
    "x4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+"
    "qN+E7Q==]]></Encrypt></xml>"
)
SAMPLE_VERIFY = {
    "msg_signature": "5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3",
    "timestamp": "1409659589",
    "nonce": "263014780",
    "echostr": "P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==",
}

# The Python 3 sample (Sample.py, 2016/2020): a URL check and a user's message to a self-built app.
PY_TOKEN, PY_KEY, PY_CORP = (
    "hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo",
    "6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt",
    "ww1436e0e65a779aee",
)
PY_VERIFY = {
    "msg_signature": "012bc692d0a58dd4b10f8dfe5c4ac00ae211ebeb",
    "timestamp": "1476416373",
    "nonce": "47744683",
    "echostr": "fsi1xnbH4yQh0+PJxcOdhhK6TDXkjMyhEPA7xB2TGz6b+g7xyAbEkRxN/3cNXW9qdqjnoVzEtpbhnFyq6SVHyA==",
}
PY_POST = {
    "msg_signature": "0c3914025cb4b4d68103f6bfc8db550f79dcf48e",
    "timestamp": "1476422779",
    "nonce": "1597212914",
}
PY_ENCRYPT = (
    "Kl7kjoSf6DMD1zh7rtrHjFaDapSCkaOnwu3bqLc5tAybhhMl9pFeK8NslNPVdMwmBQTNoW4mY7AIjeLvEl3NyeTkAgGzBhzTtRLNshw2AEew+kk"
    "YcD+Fq72Kt00fT0WnN87hGrW8SqGc+NcT3mu87Ha3dz1pSDi6GaUA6A0sqfde0VJPQbZ9U+3JWcoD4Z5jaU0y9GSh010wsHF8KZD24YhmZH4ch"
    "4Ka7ilEbjbfvhKkNL65HHL0J6EYJIZUC2pFrdkJ7MhmEbU2qARR4iQHE7wy24qy0cRX3Mfp6iELcDNfSsPGjUQVDGxQDCWjayJOpcwocugux0"
    "82f49HKYg84EpHSGXAyh+/oxwaWbvL6aSDPOYuPDGOCI8jmnKiypE+"
)


def test_sample_message_verifies_and_decrypts() -> None:
    crypto = CallbackCrypto(SAMPLE_TOKEN, SAMPLE_KEY, SAMPLE_CORP)
    plain = crypto.decrypt_signed(**SAMPLE_POST, encrypt=encrypted_part(SAMPLE_BODY))
    message = parse_message(plain)
    assert (message.user, message.msg_type, message.content) == ("mycreate", "text", "hello")
    assert (message.msg_id, message.agent_id) == ("4561255354251345929", "218")


def test_sample_url_checks_decrypt_to_their_echo() -> None:
    for (token, key, corp), check, echo in [
        ((SAMPLE_TOKEN, SAMPLE_KEY, SAMPLE_CORP), SAMPLE_VERIFY, "1616140317555161061"),
        ((PY_TOKEN, PY_KEY, PY_CORP), PY_VERIFY, "1288432023552776189"),
    ]:
        crypto = CallbackCrypto(token, key, corp)
        assert (
            crypto.decrypt_signed(check["msg_signature"], check["timestamp"], check["nonce"], check["echostr"]) == echo
        )


def test_python_sample_message_decrypts_to_its_xml() -> None:
    message = parse_message(CallbackCrypto(PY_TOKEN, PY_KEY, PY_CORP).decrypt_signed(**PY_POST, encrypt=PY_ENCRYPT))
    assert (message.user, message.content, message.msg_id, message.agent_id) == (
        "ChenJiaShun",
        "你好",
        "1456453720",
        "1000002",
    )


def test_tampered_signature_timestamp_or_token_is_refused() -> None:
    crypto = CallbackCrypto(PY_TOKEN, PY_KEY, PY_CORP)
    with pytest.raises(SignatureError):
        crypto.verify(PY_POST["msg_signature"], "1476422780", PY_POST["nonce"], PY_ENCRYPT)
    with pytest.raises(SignatureError):
        CallbackCrypto("another-token", PY_KEY, PY_CORP).verify(**PY_POST, encrypt=PY_ENCRYPT)


def test_another_corps_message_or_garbage_does_not_decrypt() -> None:
    with pytest.raises(DecryptError):
        CallbackCrypto(PY_TOKEN, PY_KEY, "ww-another-corp").decrypt(PY_ENCRYPT)
    with pytest.raises(DecryptError):
        CallbackCrypto(PY_TOKEN, PY_KEY, PY_CORP).decrypt("bm90IGEgY2lwaGVydGV4dA==")
    with pytest.raises(DecryptError):
        CallbackCrypto(PY_TOKEN, SAMPLE_KEY, PY_CORP).decrypt(PY_ENCRYPT)  # the wrong key: bad padding or corp


def test_bad_encoding_aes_key_is_refused() -> None:
    with pytest.raises(ValueError, match="43"):
        CallbackCrypto(PY_TOKEN, PY_KEY[:-1], PY_CORP)


@pytest.mark.parametrize("text", ["谁牵头加强社会治安防控体系建设？", "", "a" * 31, "一" * 2048])
def test_ours_and_the_fake_platforms_crypto_agree(text: str) -> None:
    ours, platform = CallbackCrypto(PY_TOKEN, PY_KEY, PY_CORP), PlatformCrypto(PY_TOKEN, PY_KEY, PY_CORP)
    assert ours.decrypt(platform.seal(text)) == text
    assert platform.open(ours.encrypt(text)) == text
    sealed = platform.seal(text)
    assert ours.signature("1476422779", "1597212914", sealed) == platform.sign("1476422779", "1597212914", sealed)
