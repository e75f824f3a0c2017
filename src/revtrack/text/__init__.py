"""Pure text utilities: normalization for hashing, and sentence/word tokenization."""
