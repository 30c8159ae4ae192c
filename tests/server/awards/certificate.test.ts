import { PDFDocument } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { groupCertificate, participantCertificate } from '../../../src/lib/server/awards/certificate';

const header = (bytes: Uint8Array) => new TextDecoder().decode(bytes.slice(0, 5));

describe('certificates', () => {
	it('makes a one-page A4 landscape PDF for a participant', async () => {
		const bytes = await participantCertificate({
			levelLabel: 'Bronze',
			youngPersonName: 'Zofia Łukasiewicz-O’Brien',
			groupName: 'Samphire Hoe Rangers',
			achievedOn: '2019-06-01',
			partnershipName: 'Dover District Safer Stronger Communities Partnership'
		});
		expect(header(bytes)).toBe('%PDF-');
		const pdf = await PDFDocument.load(bytes);
		expect(pdf.getPageCount()).toBe(1);
		const { width, height } = pdf.getPage(0).getSize();
		expect(width).toBeGreaterThan(height);
	});

	it('lists the group’s achieved participants', async () => {
		const bytes = await groupCertificate({
			groupName: 'Samphire Hoe Rangers',
			leaderName: 'Ann Leader',
			trustReference: 'JMT-1234',
			partnershipName: 'Dover District Safer Stronger Communities Partnership',
			participants: Array.from({ length: 3 }, (_, i) => ({ name: `Pupil ${i}`, levelLabel: 'Discovery', achievedOn: '2019-06-01' }))
		});
		expect(header(bytes)).toBe('%PDF-');
		expect((await PDFDocument.load(bytes)).getPageCount()).toBe(1);
	});
});
