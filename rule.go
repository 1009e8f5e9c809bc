package cambista

import (
	"context"
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

// RuleStore keeps rule versions.
type RuleStore interface {
	// CreateRule inserts a rule version and sets its ID (and RuleID, for a
	// new rule, to the same value).
	CreateRule(ctx context.Context, r *RuleVersion) error
	// RuleVersions returns the versions in a status, by rule ID.
	RuleVersions(ctx context.Context, status RuleStatus) ([]*RuleVersion, error)
	// RuleVersion returns one version; ENOTFOUND.
	RuleVersion(ctx context.Context, id ID) (*RuleVersion, error)
	// UpdateRuleStatus moves a version to a status; ENOTFOUND.
	UpdateRuleStatus(ctx context.Context, id ID, status RuleStatus) error
}
