"""Input limits of the load stage."""
