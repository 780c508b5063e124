"""Conversions between ``cryptography`` objects (the public API) and ``asn1crypto`` ones (what pyHanko takes).

Both libraries read and write DER, so every conversion is a DER round trip: nothing is re-encoded by hand.
"""

from __future__ import annotations

from asn1crypto import crl as asn1_crl
from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from signatures.ca import PrivateKey

_DER = serialization.Encoding.DER


def asn1_certificate(certificate: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(certificate.public_bytes(_DER))


def asn1_private_key(key: PrivateKey) -> asn1_keys.PrivateKeyInfo:
    der = key.private_bytes(_DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    return asn1_keys.PrivateKeyInfo.load(der)


def asn1_crl_of(crl: x509.CertificateRevocationList) -> asn1_crl.CertificateList:
    return asn1_crl.CertificateList.load(crl.public_bytes(_DER))


def certificate_of(certificate: asn1_x509.Certificate) -> x509.Certificate:
    return x509.load_der_x509_certificate(certificate.dump())
