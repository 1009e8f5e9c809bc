package store

import (
	"context"
	"database/sql"

	"github.com/cambista/cambista"
)

const ruleColumns = `id, rule_id, version, status, name, priority, definition, created_by, created_at, published_at`

func scanRule(sc scanner) (*cambista.RuleVersion, error) {
	var r cambista.RuleVersion
	var def string
	var created int64
	var published sql.NullInt64
	if err := sc.Scan(&r.ID, &r.RuleID, &r.Version, &r.Status, &r.Name, &r.Priority, &def, &r.CreatedBy, &created, &published); err != nil {
		return nil, err
	}
	r.Definition, r.CreatedAt, r.PublishedAt = []byte(def), cambista.FromMicros(created), fromNull(published)
	return &r, nil
}

func (t *tx) CreateRule(ctx context.Context, r *cambista.RuleVersion) error {
	r.CreatedAt = t.now
	if r.RuleID == 0 {
		// A new rule: its first version's row ID becomes the rule's ID.
		err := t.writeRow(ctx, `INSERT INTO rules (rule_id, version, status, name, priority, definition, created_by, created_at)
			VALUES (0, 1, $1, $2, $3, $4, $5, $6) RETURNING id`,
			r.Status, r.Name, r.Priority, string(r.Definition), r.CreatedBy, cambista.Micros(t.now)).Scan(&r.ID)
		if err != nil {
			return err
		}
		r.RuleID, r.Version = r.ID, 1
		_, err = t.exec(ctx, `UPDATE rules SET rule_id = id WHERE id = $1`, r.ID)
		return err
	}
	err := t.writeRow(ctx, `INSERT INTO rules (rule_id, version, status, name, priority, definition, created_by, created_at)
		SELECT $1, COALESCE(MAX(version), 0) + 1, $2, $3, $4, $5, $6, $7 FROM rules WHERE rule_id = $1
		RETURNING id, version`,
		r.RuleID, r.Status, r.Name, r.Priority, string(r.Definition), r.CreatedBy, cambista.Micros(t.now)).Scan(&r.ID, &r.Version)
	if uniqueViolation(err) {
		return exists("rule version", r.RuleID)
	}
	return err
}

func (t *tx) RuleVersions(ctx context.Context, status cambista.RuleStatus) ([]*cambista.RuleVersion, error) {
	return queryAll(ctx, t, scanRule, `SELECT `+ruleColumns+` FROM rules WHERE status = $1 ORDER BY rule_id, version`, status)
}

func (t *tx) RuleVersion(ctx context.Context, id cambista.ID) (*cambista.RuleVersion, error) {
	r, err := scanRule(t.row(ctx, `SELECT `+ruleColumns+` FROM rules WHERE id = $1`+t.forUpdate(), id))
	return r, one(err, "rule", id)
}

func (t *tx) UpdateRuleStatus(ctx context.Context, id cambista.ID, status cambista.RuleStatus) error {
	var published any
	if status == cambista.RulePublished {
		published = cambista.Micros(t.now)
	}
	res, err := t.exec(ctx, `UPDATE rules SET status = $2, published_at = COALESCE($3, published_at) WHERE id = $1`, id, status, published)
	return affected(res, err, "rule", id)
}
