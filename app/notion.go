package app

import (
	"context"
	"fmt"
	"slices"

	"github.com/cambista/cambista"
)

// Notion mirrors: closed batches, the requests that wait for a superuser
// (accounts, withdrawals), deposits and refunds appear as pages of Notion databases
// kept up to date as their state changes. A notice about such an entity
// also writes a KindNotion row, in the same transaction, when the entity's
// database is configured (Config.Notion); the worker then creates or
// updates the page from the entity's state at delivery, so rows may come
// in any order and any number of times.

// KindNotion is an outbox row that brings an entity's Notion page up to
// date: a NotionSync.
const KindNotion = "notion"

// NotionSync names the entity whose page to create or update.
type NotionSync struct {
	Entity string      `json:"entity"`
	ID     cambista.ID `json:"id"`
}

// A page's rows are delivered one at a time, in order: two deliveries at
// once could each find no page and both create one.
func (s NotionSync) subject() string { return fmt.Sprintf("notion:%s:%d", s.Entity, s.ID) }

// notionEvents are, per entity that has pages in Notion, the notices that
// change its page; nil is every notice about the entity. A new kind of
// page is an entry here and its properties in the worker (jobs).
var notionEvents = map[string][]string{
	"account":    nil,
	"withdrawal": nil,
	"deposit":    nil,
	"refund":     nil,
	"batch":      {"batch.closed"},
}

// mirror writes the KindNotion row for a notice, if the entity has a
// configured Notion database and the event changes its page.
func (c *call) mirror(event, entity string, id cambista.ID) error {
	events, ok := notionEvents[entity]
	if !ok || !c.notion[entity] || events != nil && !slices.Contains(events, event) {
		return nil
	}
	return c.enqueue(KindNotion, NotionSync{Entity: entity, ID: id})
}

// NotionPage returns the ID of the Notion page that shows the entity, or
// "" if none was saved; for the worker.
func (s *Service) NotionPage(ctx context.Context, entity string, id cambista.ID) (string, error) {
	return delivery(ctx, s.store.View, func(tx Tx) (string, error) { return tx.NotionPage(ctx, entity, id) })
}

// SaveNotionPage records the page that shows the entity; for the worker.
func (s *Service) SaveNotionPage(ctx context.Context, entity string, id cambista.ID, pageID string) error {
	return s.deliveryWrite(ctx, func(tx Tx) error { return tx.SaveNotionPage(ctx, entity, id, pageID) })
}
