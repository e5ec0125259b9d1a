"""The planted-fault corpus: each fault is planted in a copy of the shipped package and must be caught."""
