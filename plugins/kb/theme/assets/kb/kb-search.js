/* Behaviour for the search pages; pages work without it. */
