import type { RequestEvent } from '@sveltejs/kit';
import { describe, expect, it } from 'vitest';
import { insertAuditEvent } from '../../../src/lib/server/audit/audit.queries';
import { isCrossSiteFormPost, refuseCrossSitePost } from '../../../src/lib/server/web/csrf';
import { useTestDatabase } from '../../support/database';
import { auditEvents, makeUser } from '../../support/factories';

const t = useTestDatabase();
const url = new URL('https://tracker.example.org/schools/new');
const post = (headers: Record<string, string>, method = 'POST') => new Request(url, { method, headers, body: 'name=x' });
const form = { 'content-type': 'application/x-www-form-urlencoded' };

describe('a cross-site form post', () => {
	it('is one from another origin or none, of a type an HTML form can send', () => {
		expect(isCrossSiteFormPost(post({ ...form, origin: 'https://evil.example' }), url)).toBe(true);
		expect(isCrossSiteFormPost(post(form), url)).toBe(true);
		expect(isCrossSiteFormPost(post({ 'content-type': 'multipart/form-data; boundary=x', origin: 'null' }), url)).toBe(true);
		expect(isCrossSiteFormPost(post({ 'content-type': 'text/plain', origin: 'https://evil.example' }, 'DELETE'), url)).toBe(true);
		expect(isCrossSiteFormPost(post({ ...form, origin: 'https://tracker.example.org' }), url)).toBe(false);
		expect(isCrossSiteFormPost(post({ 'content-type': 'application/json', origin: 'https://evil.example' }), url)).toBe(false);
		expect(isCrossSiteFormPost(new Request(url, { headers: { origin: 'https://evil.example' } }), url)).toBe(false);
	});

	it("is refused with SvelteKit's 403 and audited with the address and the signed-in user, never the Origin's text", async () => {
		const user = await makeUser(t.db);
		const event = {
			request: post({ ...form, origin: 'https://evil.example/<script>' }),
			url,
			route: { id: '/schools/new' },
			locals: { user: { id: user.id } },
			getClientAddress: () => '198.51.100.9'
		} as unknown as RequestEvent;
		const response = await refuseCrossSitePost(t.db, event);
		expect(response.status).toBe(403);
		expect(await response.text()).toBe('Cross-site POST form submissions are forbidden');
		const events = await auditEvents(t.db, 'csrf.refused');
		expect(events).toEqual([
			expect.objectContaining({ actor_id: user.id, address: '198.51.100.9', detail: { route: '/schools/new', method: 'POST', origin: 'other' } })
		]);
		expect(JSON.stringify(events)).not.toContain('evil');
	});
});

describe('an audit row', () => {
	it('keeps an entity id only when it is a UUID', async () => {
		const id = '3f1c2b4a-5d6e-4f70-8a9b-0c1d2e3f4a5b';
		await insertAuditEvent(t.db, { actorId: null, action: 'test.one', entityType: 'school', entityId: id.toUpperCase() });
		await insertAuditEvent(t.db, { actorId: null, action: 'test.two', entityType: 'school', entityId: "x'); drop table school; --" });
		await insertAuditEvent(t.db, { actorId: null, action: 'test.three', entityType: 'school', entityId: `${id}\u0000` });
		const rows = await t.db.selectFrom('audit_event').select(['action', 'entity_id']).where('action', 'like', 'test.%').orderBy('id').execute();
		expect(rows).toEqual([
			{ action: 'test.one', entity_id: id },
			{ action: 'test.two', entity_id: null },
			{ action: 'test.three', entity_id: null }
		]);
	});
});
