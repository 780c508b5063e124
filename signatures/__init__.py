"""Keys and certificates, CMS/PKCS#7 and PAdES signatures, verification. Imports ``engine`` only.

Owns: the canonical bytes of an approval (``canonical``), a demo certificate authority (``ca``,
``demo``), PKCS#12 software keys (``keystore``), PKCS#11 token keys (``token``), trust roots and CRLs
(``trust``), detached CMS signatures (``cms``), PAdES B-LT PDF signatures with a Persian stamp (``pdf``,
``stamp``) and the verdicts verification returns (``verdict``). Never imports flask, ``webui``,
``handlers`` or ``forms``; every "now" comes from an injected ``engine.clock.Clock``.

Nothing is re-exported here: pyHanko takes about a second to import, and the command line should pay
for it only when it signs or verifies. Import the module you need (``from signatures import cms``).
"""
