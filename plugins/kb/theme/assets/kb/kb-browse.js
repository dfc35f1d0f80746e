/* Behaviour for the browse pages; pages work without it. */
