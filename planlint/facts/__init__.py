"""Facts extracted from plans: change windows and friends."""
