"""The working-day calendar, deadline clocks and time-limit parameters.

Working days follow the State Council holiday schedule (国务院节假日安排), 调休 included.
"""
