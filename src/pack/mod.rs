//! Module packs: manifest, hashing, signing and verification, safe extraction and install.
