"""Domain models and pure rules: framework, assessment, answers, rating schemes, scoring, gaps."""
