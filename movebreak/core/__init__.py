"""The functional core: plain data and pure functions, no GUI, no I/O, no clock.

Every function here takes the current time as an argument, so tests drive it with
any clock they like and the shell decides where "now" comes from.
"""
