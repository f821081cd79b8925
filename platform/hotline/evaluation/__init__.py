"""Evaluation (考核): schemes, periodic assessments, rankings, exclusions, adjustments and appeals."""
