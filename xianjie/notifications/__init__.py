"""In-app notifications: hand-overs, reminders and escalations reach the people responsible."""
