package quotatest

import "time"

// The suite's own tests run stores made to wait on themselves: a second
// shows it, where a host's store gets the patience of a slow database.
func init() { stuckAfter = 2 * time.Second }
