"""The Textual app. Shows library query results; sends user actions back as library calls."""
