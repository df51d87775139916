"""``movebreak stats``: the history summarised for people (``cli``) and drawn (``chart``)."""
