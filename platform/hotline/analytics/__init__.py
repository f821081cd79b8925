"""Analysis and publication: daily, weekly and monthly reports, subscriptions, hotspots, 每月一题."""
