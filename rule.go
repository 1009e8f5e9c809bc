package cambista

import (
	"encoding/json"
	"time"
)

// RuleStatus is where a rule version stands: drafts are edited and
// simulated, publishing makes them current, and a newer publication (or a
// retirement) retires the older version.
type RuleStatus string

const (
	RuleDraft     RuleStatus = "draft"
	RulePublished RuleStatus = "published"
	RuleRetired   RuleStatus = "retired"
)

// RuleVersion is one stored version of a business rule. Definition is the
// rules engine's encoding of the rule; the store does not look inside.
type RuleVersion struct {
	ID          ID
	RuleID      ID
	Version     int
	Status      RuleStatus
	Name        string
	Priority    int
	Definition  json.RawMessage
	CreatedBy   UserID
	CreatedAt   time.Time
	PublishedAt time.Time
}
