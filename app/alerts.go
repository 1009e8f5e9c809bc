package app

import (
	"cmp"
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/money"
)

// Liquidity and exposure alerts. A periodic job calls CheckAlerts, which
// compares every open batch and every currency with the thresholds a
// superuser set, and raises an alert for each crossing it sees for the
// first time and clears each one it no longer sees. Raising and clearing
// are written to the database with their audit events and their notices,
// in one transaction: a restart, or a second process running the same
// check, finds the alert already raised and says nothing again.

// alertThresholdsKey is the setting that holds the thresholds, as JSON.
const alertThresholdsKey = "alert.thresholds"

// maxAlertHours bounds the batch age limit a superuser may type: a year.
const maxAlertHours = 366 * 24

// AlertConfig is the thresholds as the panel shows them: per currency of
// the catalog, the amounts in the currency (absent when off).
type AlertConfig struct {
	Currencies  []*cambista.Currency
	MinCapital  map[string]money.Amount
	MaxExposure map[string]money.Amount
	MaxBatchAge time.Duration // 0 when off
	QueueCover  bool
}

// AlertSettings is what a superuser typed: amounts per currency code, an
// empty text turning the currency's rule off; the batch age limit in whole
// hours, empty or 0 for off.
type AlertSettings struct {
	MinCapital  map[string]string
	MaxExposure map[string]string
	MaxBatchAge string
	QueueCover  bool
}

// AlertThresholds returns the thresholds, for a superuser.
func (s *Service) AlertThresholds(ctx context.Context) (*AlertConfig, error) {
	return view(ctx, s, cambista.ActConfigure, func(tx Tx, _ cambista.Actor) (*AlertConfig, error) {
		th, err := readThresholds(ctx, tx)
		if err != nil {
			return nil, err
		}
		currencies, err := tx.Currencies(ctx)
		if err != nil {
			return nil, err
		}
		return alertConfig(th, currencies), nil
	})
}

func alertConfig(th *cambista.AlertThresholds, currencies []*cambista.Currency) *AlertConfig {
	cfg := &AlertConfig{Currencies: currencies, MinCapital: map[string]money.Amount{}, MaxExposure: map[string]money.Amount{},
		MaxBatchAge: th.MaxBatchAge, QueueCover: th.QueueCover}
	for _, c := range currencies {
		if v, ok := th.MinCapital[c.Code]; ok {
			cfg.MinCapital[c.Code] = money.New(v, c.Currency)
		}
		if v, ok := th.MaxExposure[c.Code]; ok {
			cfg.MaxExposure[c.Code] = money.New(v, c.Currency)
		}
	}
	return cfg
}

// readThresholds reads the thresholds; none are set at first, so every
// rule starts off.
func readThresholds(ctx context.Context, tx Tx) (*cambista.AlertThresholds, error) {
	raw, err := tx.Setting(ctx, alertThresholdsKey)
	th := &cambista.AlertThresholds{}
	if err != nil || raw == "" {
		return th, err
	}
	return th, json.Unmarshal([]byte(raw), th)
}

// SetAlertThresholds replaces the thresholds, for a superuser; audited.
// Amounts are read in the superuser's conventions, each in its currency.
func (s *Service) SetAlertThresholds(ctx context.Context, key string, in AlertSettings) (*AlertConfig, error) {
	return mutate(ctx, s, cambista.ActConfigure, key, in, func(c *call) (*AlertConfig, error) {
		currencies, err := c.currencies()
		if err != nil {
			return nil, err
		}
		th := &cambista.AlertThresholds{QueueCover: in.QueueCover}
		if th.MinCapital, err = parseThresholds(c, currencies, in.MinCapital); err != nil {
			return nil, err
		}
		if th.MaxExposure, err = parseThresholds(c, currencies, in.MaxExposure); err != nil {
			return nil, err
		}
		if h := strings.TrimSpace(in.MaxBatchAge); h != "" {
			n, err := strconv.Atoi(h)
			if err != nil || n < 0 || n > maxAlertHours {
				return nil, cambista.Errorf(cambista.EINVALID, cambista.MsgAlertBadHours.Msg("Input", in.MaxBatchAge))
			}
			th.MaxBatchAge = time.Duration(n) * time.Hour
		}
		before, err := readThresholds(ctx, c.tx)
		if err != nil {
			return nil, err
		}
		raw, err := json.Marshal(th)
		if err != nil {
			return nil, err
		}
		if err := c.tx.SetSetting(ctx, alertThresholdsKey, string(raw), c.actor.UserID); err != nil {
			return nil, err
		}
		return alertConfig(th, currencies), c.audit("setting", alertThresholdsKey, before, th)
	})
}

// parseThresholds reads amounts typed per currency code; an empty text is
// no threshold.
func parseThresholds(c *call, currencies []*cambista.Currency, typed map[string]string) (map[string]int64, error) {
	out := map[string]int64{}
	for code, text := range typed {
		if strings.TrimSpace(text) == "" {
			continue
		}
		i := slices.IndexFunc(currencies, func(cur *cambista.Currency) bool { return cur.Code == code })
		if i < 0 {
			return nil, notFound("currency", code)
		}
		a, err := parseAmount(c.actor, text, currencies[i].Currency)
		if err != nil {
			return nil, err
		}
		out[code] = a.Minor
	}
	if len(out) == 0 {
		return nil, nil
	}
	return out, nil
}

// AlertCheck counts what one check changed.
type AlertCheck struct {
	Raised, Cleared int
}

// CheckAlerts compares the open batches and the currencies with the
// thresholds: it raises each alert whose condition holds and is not yet
// raised, and clears each active alert whose condition no longer holds.
// Each raise tells the admin channel and the batch's cashier, each clear
// updates the admin channel's card, through the outbox. The periodic job
// runs it as the system.
func (s *Service) CheckAlerts(ctx context.Context) (AlertCheck, error) {
	return mutate(ctx, s, cambista.ActCheckAlerts, "", nil, func(c *call) (AlertCheck, error) {
		var out AlertCheck
		th, err := readThresholds(ctx, c.tx)
		if err != nil {
			return out, err
		}
		active, err := c.tx.ActiveAlerts(ctx)
		if err != nil || len(active) == 0 && th.Off() {
			return out, err
		}
		seen, err := alertConditions(c, th)
		if err != nil {
			return out, err
		}
		raised := map[string]bool{}
		for _, a := range active {
			raised[alertKey(a)] = true
		}
		for _, a := range seen {
			if raised[alertKey(a)] {
				continue
			}
			ok, err := c.tx.RaiseAlert(ctx, a)
			if err != nil {
				return out, err
			}
			if !ok { // raised meanwhile by another check
				continue
			}
			if err := c.audit("alert", a.ID, nil, a); err != nil {
				return out, err
			}
			if err := c.notify("alert.raised", "alert", a.ID, ChannelAdmin, a.CashierID); err != nil {
				return out, err
			}
			out.Raised++
		}
		holds := map[string]bool{}
		for _, a := range seen {
			holds[alertKey(a)] = true
		}
		for _, a := range active {
			if holds[alertKey(a)] {
				continue
			}
			ok, err := c.tx.ClearAlert(ctx, a.ID)
			if err != nil {
				return out, err
			}
			if !ok { // cleared meanwhile by another check
				continue
			}
			before := *a
			a.ClearedAt = c.tx.Now()
			if err := c.audit("alert", a.ID, before, a); err != nil {
				return out, err
			}
			if err := c.notify("alert.cleared", "alert", a.ID, ChannelAdmin, ""); err != nil {
				return out, err
			}
			out.Cleared++
		}
		return out, nil
	})
}

func alertKey(a *cambista.Alert) string { return string(a.Rule) + "\x00" + a.Subject }

// alertConditions returns an alert for every condition that holds now,
// ordered by rule and subject. A batch's available capital is its balance
// less the payouts of the transfers taken in it: what it can still pay
// new transfers with. A currency's exposure is the whole balance of the
// open batches paying out in it: the money held in that currency.
func alertConditions(c *call, th *cambista.AlertThresholds) ([]*cambista.Alert, error) {
	ctx, now := c.ctx, c.tx.Now()
	batches, err := c.tx.Batches(ctx, cambista.BatchFilter{Status: cambista.BatchOpen, Limit: 10000})
	if err != nil {
		return nil, err
	}
	queue := map[string]int64{}
	if th.QueueCover {
		err := c.tx.PendingPayouts(ctx, func(base, quote string, minor int64) { queue[cambista.Pair(base, quote)] = minor })
		if err != nil {
			return nil, err
		}
	}
	var out []*cambista.Alert
	exposure := map[string]money.Amount{}
	for _, b := range batches {
		balance, reserved, err := c.tx.BatchFunds(ctx, b.ID)
		if err != nil {
			return nil, err
		}
		cur, pair := b.Capital.Currency, cambista.Pair(b.Base, b.Quote)
		batch := func(rule cambista.AlertRule) *cambista.Alert {
			return &cambista.Alert{Rule: rule, Subject: "batch:" + strconv.FormatInt(int64(b.ID), 10), BatchID: b.ID,
				CashierID: b.CashierID, Pair: pair, Value: money.New(balance-reserved, cur)}
		}
		if limit, ok := th.MinCapital[b.Quote]; ok && balance-reserved < limit {
			a := batch(cambista.AlertLowCapital)
			a.Limit = money.New(limit, cur)
			out = append(out, a)
		}
		if q := queue[pair]; q > 0 && balance-reserved < q {
			a := batch(cambista.AlertQueueShort)
			a.Limit = money.New(q, cur)
			out = append(out, a)
		}
		if open := now.Sub(b.OpenedAt).Truncate(time.Second); th.MaxBatchAge > 0 && open > th.MaxBatchAge {
			a := batch(cambista.AlertBatchAge)
			a.Value, a.OpenFor, a.MaxOpen = money.Amount{}, open, th.MaxBatchAge
			out = append(out, a)
		}
		held := exposure[b.Quote]
		exposure[b.Quote] = money.New(held.Minor+balance, cur)
	}
	for code, held := range exposure {
		if limit, ok := th.MaxExposure[code]; ok && held.Minor > limit {
			out = append(out, &cambista.Alert{Rule: cambista.AlertExposure, Subject: code, Value: held, Limit: money.New(limit, held.Currency)})
		}
	}
	slices.SortFunc(out, func(a, b *cambista.Alert) int {
		return cmp.Or(cmp.Compare(a.Rule, b.Rule), cmp.Compare(a.Subject, b.Subject))
	})
	return out, nil
}

// ActiveAlerts lists the alerts not cleared, oldest first, for a
// superuser.
func (s *Service) ActiveAlerts(ctx context.Context) ([]*cambista.Alert, error) {
	return view(ctx, s, cambista.ActCheckAlerts, func(tx Tx, _ cambista.Actor) ([]*cambista.Alert, error) {
		return tx.ActiveAlerts(ctx)
	})
}

// Alert returns an alert as it is now, for the outbox worker's card.
func (s *Service) Alert(ctx context.Context, id cambista.ID) (*cambista.Alert, error) {
	return view(ctx, s, cambista.ActCheckAlerts, func(tx Tx, _ cambista.Actor) (*cambista.Alert, error) {
		return tx.Alert(ctx, id)
	})
}
