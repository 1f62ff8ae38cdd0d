"""The churn screen and its parts."""
