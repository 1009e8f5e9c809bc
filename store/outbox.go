package store

import (
	"cmp"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/cambista/cambista"
)

// The outbox worker's side of the outbox (cambista.OutboxQueue) and the
// Discord messages it keeps in step (cambista.MessageRefStore). The worker
// runs each in a transaction of its own, through the app.

// ClaimOutbox claims due rows with one statement that pushes their run_at
// and stamps them with a fresh claim token. The heads are the due rows
// that no undelivered row of their subject precedes; with each head come
// the due rows of its subject after it, up to the first that is not due,
// so that a subject's rows are delivered in order and those waiting
// together go out together. On PostgreSQL, heads another claimer has
// locked are skipped rather than waited for; the rows after them cannot be
// claimed by anyone else, since they are no heads while it holds the head.
// SQLite's single writer makes the statement exclusive anyway. Kinds let
// workers for different side effects (Discord, Notion) share the table.
func (t *tx) ClaimOutbox(ctx context.Context, now time.Time, limit int, lease time.Duration, kinds ...string) ([]*cambista.OutboxMessage, error) {
	lock := t.forUpdate()
	if lock != "" {
		lock += " SKIP LOCKED"
	}
	token, err := claimToken()
	if err != nil {
		return nil, err
	}
	args := []any{cambista.Micros(now.Add(lease)), cambista.Micros(now), limit, token}
	kindCond := kindIn(&args, kinds)
	rs, err := t.writeQuery(ctx, `WITH heads AS (
			SELECT id, subject FROM outbox o
			WHERE run_at <= $2 AND delivered_at IS NULL AND given_up_at IS NULL`+kindCond+`
			AND (subject = '' OR NOT EXISTS (SELECT 1 FROM outbox p
				WHERE p.subject = o.subject AND p.id < o.id AND p.delivered_at IS NULL AND p.given_up_at IS NULL))
			ORDER BY id LIMIT $3`+lock+`
		), picked AS (
			SELECT id FROM heads
			UNION
			SELECT o.id FROM outbox o JOIN heads h ON h.subject <> '' AND o.subject = h.subject AND o.id > h.id
			WHERE o.run_at <= $2 AND o.delivered_at IS NULL AND o.given_up_at IS NULL`+strings.ReplaceAll(kindCond, "kind", "o.kind")+`
			AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.subject = o.subject AND p.id > h.id AND p.id < o.id
				AND p.run_at > $2 AND p.delivered_at IS NULL AND p.given_up_at IS NULL)
		)
		UPDATE outbox SET run_at = $1, claim = $4 WHERE id IN (SELECT id FROM picked)
		RETURNING id, kind, payload, subject, claim, progress, run_at, attempts, last_error, created_at`, args...)
	if err != nil {
		return nil, err
	}
	defer rs.Close()
	out, err := scanAll(rs, scanOutbox)
	if err != nil {
		return nil, err
	}
	// RETURNING promises no order.
	slices.SortFunc(out, func(a, b *cambista.OutboxMessage) int { return cmp.Compare(a.ID, b.ID) })
	return out, nil
}

// claimToken returns a fresh random claim token.
func claimToken() (string, error) {
	var b [12]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return hex.EncodeToString(b[:]), nil
}

// RenewOutbox pushes the run_at of the rows the claim still holds.
func (t *tx) RenewOutbox(ctx context.Context, claim string, until time.Time) ([]cambista.ID, error) {
	if claim == "" {
		return nil, nil
	}
	rs, err := t.writeQuery(ctx, `UPDATE outbox SET run_at = $2
		WHERE claim = $1 AND delivered_at IS NULL AND given_up_at IS NULL RETURNING id`, claim, cambista.Micros(until))
	if err != nil {
		return nil, err
	}
	defer rs.Close()
	held, err := scanAll(rs, func(sc scanner) (cambista.ID, error) {
		var id cambista.ID
		return id, sc.Scan(&id)
	})
	slices.Sort(held)
	return held, err
}

// kindIn returns a condition on the outbox's kind column, its values
// appended to args; "" for any kind.
func kindIn(args *[]any, kinds []string) string {
	if len(kinds) == 0 {
		return ""
	}
	marks := make([]string, len(kinds))
	for i, k := range kinds {
		*args = append(*args, k)
		marks[i] = fmt.Sprintf("$%d", len(*args))
	}
	return " AND kind IN (" + strings.Join(marks, ", ") + ")"
}

func scanOutbox(sc scanner) (*cambista.OutboxMessage, error) {
	var m cambista.OutboxMessage
	var payload string
	var runAt, created int64
	if err := sc.Scan(&m.ID, &m.Kind, &payload, &m.Subject, &m.Claim, &m.Progress, &runAt, &m.Attempts, &m.LastError, &created); err != nil {
		return nil, err
	}
	m.Payload = []byte(payload)
	m.RunAt, m.CreatedAt = cambista.FromMicros(runAt), cambista.FromMicros(created)
	return &m, nil
}

// MarkDelivered records that the row was delivered; ENOTFOUND,
// cambista.ErrClaimLost.
func (t *tx) MarkDelivered(ctx context.Context, id cambista.ID, claim string) error {
	res, err := t.exec(ctx, `UPDATE outbox SET delivered_at = $3, claim = '' WHERE id = $1 AND claim = $2 AND claim <> ''`,
		id, claim, cambista.Micros(t.now))
	return t.held(ctx, res, err, id)
}

// MarkRetry records a failed attempt and when to try again; ENOTFOUND,
// cambista.ErrClaimLost.
func (t *tx) MarkRetry(ctx context.Context, id cambista.ID, claim string, attempts int, lastErr string, runAt time.Time) error {
	res, err := t.exec(ctx, `UPDATE outbox SET attempts = $3, last_error = $4, run_at = $5, claim = '' WHERE id = $1 AND claim = $2 AND claim <> ''`,
		id, claim, attempts, lastErr, cambista.Micros(runAt))
	return t.held(ctx, res, err, id)
}

// MarkGivenUp stops delivering the row and records why; ENOTFOUND,
// cambista.ErrClaimLost.
func (t *tx) MarkGivenUp(ctx context.Context, id cambista.ID, claim string, lastErr string) error {
	res, err := t.exec(ctx, `UPDATE outbox SET given_up_at = $3, last_error = $4, claim = '' WHERE id = $1 AND claim = $2 AND claim <> ''`,
		id, claim, cambista.Micros(t.now), lastErr)
	return t.held(ctx, res, err, id)
}

// SaveOutboxProgress records the steps of a row already done and the note,
// if any, as last_error; ENOTFOUND, cambista.ErrClaimLost.
func (t *tx) SaveOutboxProgress(ctx context.Context, id cambista.ID, claim, progress, note string) error {
	res, err := t.exec(ctx, `UPDATE outbox SET progress = $3, last_error = CASE WHEN $4 = '' THEN last_error ELSE $4 END
		WHERE id = $1 AND claim = $2 AND claim <> ''`, id, claim, progress, note)
	return t.held(ctx, res, err, id)
}

// held tells why an UPDATE of a row under its claim touched nothing: the
// row is not there, or another claim holds it (or none, once marked).
func (t *tx) held(ctx context.Context, res sql.Result, err error, id cambista.ID) error {
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n > 0 {
		return err
	}
	var one int
	if err := t.row(ctx, `SELECT 1 FROM outbox WHERE id = $1`, id).Scan(&one); errors.Is(err, sql.ErrNoRows) {
		return notFound("outbox message", id)
	} else if err != nil {
		return err
	}
	return cambista.ErrClaimLost
}

// OutboxProgress returns what SaveOutboxProgress recorded, "" at first;
// ENOTFOUND.
func (t *tx) OutboxProgress(ctx context.Context, id cambista.ID) (string, error) {
	var p string
	err := t.row(ctx, `SELECT progress FROM outbox WHERE id = $1`, id).Scan(&p)
	return p, one(err, "outbox message", id)
}

// OutboxAfter returns the rows of the subject after id neither delivered
// nor given up, in order.
func (t *tx) OutboxAfter(ctx context.Context, subject string, id cambista.ID) ([]*cambista.OutboxMessage, error) {
	rs, err := t.query(ctx, `SELECT id, kind, payload, subject, claim, progress, run_at, attempts, last_error, created_at FROM outbox
		WHERE subject = $1 AND subject <> '' AND id > $2 AND delivered_at IS NULL AND given_up_at IS NULL ORDER BY id`, subject, id)
	if err != nil {
		return nil, err
	}
	defer rs.Close()
	return scanAll(rs, scanOutbox)
}

// OldestUndelivered returns when the oldest row of the kinds neither
// delivered nor given up was written, or the zero time.
func (t *tx) OldestUndelivered(ctx context.Context, kinds ...string) (time.Time, error) {
	var oldest sql.NullInt64
	var args []any
	err := t.row(ctx, `SELECT MIN(created_at) FROM outbox WHERE delivered_at IS NULL AND given_up_at IS NULL`+kindIn(&args, kinds), args...).Scan(&oldest)
	if err != nil || !oldest.Valid {
		return time.Time{}, err
	}
	return cambista.FromMicros(oldest.Int64), nil
}

// MessageRef returns the ID of the Discord message that shows the entity
// in the channel, or "" if none was saved.
func (t *tx) MessageRef(ctx context.Context, entity string, id cambista.ID, channel string) (string, error) {
	var ref string
	err := t.row(ctx, `SELECT message_id FROM discord_messages WHERE entity = $1 AND entity_id = $2 AND channel_id = $3`,
		entity, id, channel).Scan(&ref)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return ref, err
}

// MessageRefs returns the messages that show the entities in the channel,
// by entity ID; an entity without one is not in the map.
func (t *tx) MessageRefs(ctx context.Context, entity string, ids []cambista.ID, channel string) (map[cambista.ID]string, error) {
	out := map[cambista.ID]string{}
	if len(ids) == 0 {
		return out, nil
	}
	args := []any{entity, channel}
	marks := make([]string, len(ids))
	for i, id := range ids {
		args = append(args, id)
		marks[i] = fmt.Sprintf("$%d", len(args))
	}
	rs, err := t.query(ctx, `SELECT entity_id, message_id FROM discord_messages WHERE entity = $1 AND channel_id = $2
		AND entity_id IN (`+strings.Join(marks, ", ")+`)`, args...)
	if err != nil {
		return nil, err
	}
	defer rs.Close()
	for rs.Next() {
		var id cambista.ID
		var ref string
		if err := rs.Scan(&id, &ref); err != nil {
			return nil, err
		}
		out[id] = ref
	}
	return out, rs.Err()
}

// MessageShows returns the entities, by ID, that the message shows in the
// channel.
func (t *tx) MessageShows(ctx context.Context, entity, channel, messageID string) ([]cambista.ID, error) {
	rs, err := t.query(ctx, `SELECT entity_id FROM discord_messages WHERE channel_id = $1 AND message_id = $2 AND entity = $3
		ORDER BY entity_id`, channel, messageID, entity)
	if err != nil {
		return nil, err
	}
	defer rs.Close()
	return scanAll(rs, func(sc scanner) (cambista.ID, error) {
		var id cambista.ID
		return id, sc.Scan(&id)
	})
}

// SaveMessageRefs records (or replaces) the message that shows the
// entities in the channel, in one statement.
func (t *tx) SaveMessageRefs(ctx context.Context, entity string, ids []cambista.ID, channel, messageID string) error {
	if len(ids) == 0 {
		return nil
	}
	args := []any{entity, channel, messageID}
	rows := make([]string, len(ids))
	for i, id := range ids {
		args = append(args, id)
		rows[i] = fmt.Sprintf("($1, $%d, $2, $3)", len(args))
	}
	_, err := t.exec(ctx, `INSERT INTO discord_messages (entity, entity_id, channel_id, message_id) VALUES `+strings.Join(rows, ", ")+`
		ON CONFLICT (entity, entity_id, channel_id) DO UPDATE SET message_id = excluded.message_id`, args...)
	return err
}

func (t *tx) Enqueue(ctx context.Context, m *cambista.OutboxMessage) error {
	if m.RunAt.IsZero() {
		m.RunAt = t.now
	}
	if len(m.Payload) == 0 || !json.Valid(m.Payload) {
		return cambista.Internal(errInvalidPayload)
	}
	m.CreatedAt = t.now
	t.enqueued = true
	return t.hold(ctx, heldEnqueue, func(sc scanner) error { return sc.Scan(&m.ID) },
		m.Kind, string(m.Payload), m.Subject, cambista.Micros(m.RunAt), cambista.Micros(t.now))
}

// heldEnqueue writes an outbox row, which only a database error can fail.
var heldEnqueue = held{op: "Enqueue", sql: `INSERT INTO outbox (kind, payload, subject, run_at, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id`}

var errInvalidPayload = errors.New("outbox payload must be JSON")

func jsonMarshal(v any) (string, error) {
	b, err := json.Marshal(v)
	return string(b), err
}

func jsonUnmarshal(s string, v any) error { return json.Unmarshal([]byte(s), v) }

func (t *tx) Undelivered(ctx context.Context, user cambista.UserID, kinds ...string) (bool, error) {
	if len(kinds) == 0 {
		return false, nil
	}
	// The payloads are JSON written by encoding/json, so the user appears
	// exactly as this fragment; "%" matches every payload.
	pattern := "%"
	if user != "" {
		frag, err := json.Marshal(map[string]cambista.UserID{"user_id": user})
		if err != nil {
			return false, err
		}
		pattern = "%" + strings.Trim(string(frag), "{}") + "%"
	}
	args := []any{pattern}
	marks := make([]string, len(kinds))
	for i, k := range kinds {
		args = append(args, k)
		marks[i] = fmt.Sprintf("$%d", i+2)
	}
	var n int
	err := t.row(ctx, `SELECT COUNT(*) FROM outbox WHERE delivered_at IS NULL AND given_up_at IS NULL AND payload LIKE $1
		AND kind IN (`+strings.Join(marks, ", ")+`)`, args...).Scan(&n)
	return n > 0, err
}
