import type { Db } from '../db';
import type { Period } from './periods';

// The narratives of the return to the PCC: one per programme and period.

export async function listNarratives(db: Db, period: Pick<Period, 'from' | 'to'>) {
	return db
		.selectFrom('pcc_narrative')
		.select(['programme_id', 'narrative'])
		.where('period_from', '=', period.from)
		.where('period_to', '=', period.to)
		.execute();
}

/** Writes a programme's narrative for the period, over the one it had. */
export async function upsertNarrative(db: Db, narrative: { programmeId: string; period: Pick<Period, 'from' | 'to'>; narrative: string; updatedBy: string }) {
	const now = new Date();
	await db
		.insertInto('pcc_narrative')
		.values({
			programme_id: narrative.programmeId,
			period_from: narrative.period.from,
			period_to: narrative.period.to,
			narrative: narrative.narrative,
			updated_by: narrative.updatedBy,
			updated_at: now
		})
		.onConflict((oc) =>
			oc.columns(['programme_id', 'period_from', 'period_to']).doUpdateSet({ narrative: narrative.narrative, updated_by: narrative.updatedBy, updated_at: now })
		)
		.execute();
}
