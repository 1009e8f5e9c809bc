package store

import (
	"context"
	"database/sql"
	"errors"

	"github.com/cambista/cambista"
)

// The Notion pages that show entities (cambista.NotionPageStore).

func (t *tx) NotionPage(ctx context.Context, entity string, id cambista.ID) (string, error) {
	var page string
	err := t.row(ctx, `SELECT page_id FROM notion_pages WHERE entity = $1 AND entity_id = $2`, entity, id).Scan(&page)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return page, err
}

func (t *tx) SaveNotionPage(ctx context.Context, entity string, id cambista.ID, pageID string) error {
	_, err := t.exec(ctx, `INSERT INTO notion_pages (entity, entity_id, page_id) VALUES ($1, $2, $3)
		ON CONFLICT (entity, entity_id) DO UPDATE SET page_id = excluded.page_id`, entity, id, pageID)
	return err
}
