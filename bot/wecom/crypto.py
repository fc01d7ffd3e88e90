"""WeCom's callback crypto (WXBizMsgCrypt): the signature of a callback and the AES envelope of its message.

The published scheme, for a self-built app (自建应用):

- ``msg_signature`` = SHA-1 of the sorted concatenation of [token, timestamp, nonce, encrypt];
- AES-256-CBC, key = base64decode(EncodingAESKey + "="), IV = the key's first 16 bytes, PKCS#7 padding to
  32-byte blocks;
- plaintext = 16 random bytes + the message's length (4 bytes, big-endian) + the message + the receive id
  (the corp id, which must match).

Our own envelope over ``cryptography``'s AES and PKCS7: wechatpy (the one maintained SDK that had it) last
released in 2021, the other WeCom packages on PyPI are one-person wrappers of the same 60 lines, and the
envelope is small enough to read here in full and test against WeCom's published sample vectors.

>>> crypto = CallbackCrypto("QDG6eK", "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C", "wx5823bf96d3bd56c7")
>>> sealed = crypto.encrypt("你好")
>>> crypto.decrypt(sealed)
'你好'
>>> signature = crypto.signature("1409659813", "1372623149", sealed)
>>> crypto.verify(signature, "1409659813", "1372623149", sealed)
>>> crypto.decrypt_signed(signature, "1409659813", "1372623149", sealed)
'你好'
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import struct

from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

AES_KEY_LENGTH = 43  # characters of an EncodingAESKey
BLOCK_BITS = 32 * 8  # WeCom pads to 32-byte blocks (not AES's 16)
RANDOM_BYTES = 16


class SignatureError(Exception):
    """The callback's msg_signature does not match: it is not from WeCom (or not for this Token)."""


class DecryptError(Exception):
    """The encrypted message cannot be opened: bad base64, padding or length, or another corp's."""


class CallbackCrypto:
    """Sign, verify, encrypt and decrypt callbacks for one app (its Token, EncodingAESKey and corp id)."""

    def __init__(self, token: str, encoding_aes_key: str, receive_id: str) -> None:
        if len(encoding_aes_key) != AES_KEY_LENGTH:
            raise ValueError(f"the EncodingAESKey must be {AES_KEY_LENGTH} characters long")
        try:
            self._key = base64.b64decode(encoding_aes_key + "=", validate=True)
        except binascii.Error as error:
            raise ValueError("the EncodingAESKey is not base64 (letters and digits only)") from error
        self._token = token
        self._receive_id = receive_id.encode()

    def signature(self, timestamp: str, nonce: str, encrypt: str) -> str:
        """The msg_signature of ``encrypt`` sent at ``timestamp`` with ``nonce``."""
        parts = sorted([self._token, timestamp, nonce, encrypt])
        return hashlib.sha1("".join(parts).encode()).hexdigest()

    def verify(self, msg_signature: str, timestamp: str, nonce: str, encrypt: str) -> None:
        """Raise :class:`SignatureError` unless ``msg_signature`` signs the rest (compared in constant time)."""
        expected = self.signature(timestamp, nonce, encrypt)
        if not hmac.compare_digest(expected, msg_signature.strip().lower()):
            raise SignatureError("msg_signature does not match")

    def decrypt_signed(self, msg_signature: str, timestamp: str, nonce: str, encrypt: str) -> str:
        """Verify, then decrypt (the URL check's echostr, or a message's Encrypt)."""
        self.verify(msg_signature, timestamp, nonce, encrypt)
        return self.decrypt(encrypt)

    def _cipher(self) -> Cipher:
        return Cipher(algorithms.AES(self._key), modes.CBC(self._key[:16]))

    def decrypt(self, encrypt: str) -> str:
        """The message inside ``encrypt``; :class:`DecryptError` if it is malformed or for another corp."""
        try:
            sealed = base64.b64decode(encrypt, validate=True)
            decryptor = self._cipher().decryptor()
            padded = decryptor.update(sealed) + decryptor.finalize()
            unpadder = padding.PKCS7(BLOCK_BITS).unpadder()
            plain = unpadder.update(padded) + unpadder.finalize()
        except (binascii.Error, ValueError) as error:
            raise DecryptError(f"cannot decrypt the message ({type(error).__name__})") from error
        if len(plain) < RANDOM_BYTES + 4:
            raise DecryptError("the decrypted message is too short")
        (length,) = struct.unpack(">I", plain[RANDOM_BYTES : RANDOM_BYTES + 4])
        body = plain[RANDOM_BYTES + 4 :]
        if length > len(body):
            raise DecryptError("the decrypted message is shorter than its stated length")
        if not hmac.compare_digest(body[length:], self._receive_id):
            raise DecryptError("the message is for another receive id (corp id)")
        try:
            return body[:length].decode("utf-8")
        except UnicodeDecodeError as error:
            raise DecryptError("the decrypted message is not UTF-8") from error

    def encrypt(self, message: str, random_prefix: bytes | None = None) -> str:
        """``message`` sealed as WeCom seals it (base64); ``random_prefix`` (16 bytes) only for tests."""
        prefix = random_prefix if random_prefix is not None else os.urandom(RANDOM_BYTES)
        if len(prefix) != RANDOM_BYTES:
            raise ValueError(f"the random prefix must be {RANDOM_BYTES} bytes")
        data = message.encode("utf-8")
        plain = prefix + struct.pack(">I", len(data)) + data + self._receive_id
        padder = padding.PKCS7(BLOCK_BITS).padder()
        padded = padder.update(plain) + padder.finalize()
        encryptor = self._cipher().encryptor()
        return base64.b64encode(encryptor.update(padded) + encryptor.finalize()).decode("ascii")
