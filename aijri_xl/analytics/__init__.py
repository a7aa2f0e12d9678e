"""Review analytics: what changed between two versions of an assessment
(:mod:`.diff`), why the score moved (:mod:`.attribution`), how close it is to another zone
(:mod:`.sensitivity`), and how far several assessors of one role agree
(:mod:`.agreement`). Pure: they read loaded assessments and score them with the
reference engine; rendering is elsewhere.
"""
