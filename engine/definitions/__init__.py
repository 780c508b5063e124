"""Process definitions: hardened XML loading, XSD and lint checks with NZ codes, bundles, deploy."""
