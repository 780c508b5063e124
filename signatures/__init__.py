"""Keys and certificates, CMS/PKCS#7 and PAdES signatures, verification. Imports ``engine`` types only.

Filled in by the signatures work (PKCS#12 and PKCS#11 keys, signed checkpoints of the history chain).
"""
