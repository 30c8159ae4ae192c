import { describe, expect, it } from 'vitest';
import { fileResponse } from '../../../src/lib/server/exports/file';

// A download goes as an attachment with its length in bytes (not characters): names with accents
// and the CSV's byte order mark take more bytes than characters.

describe('fileResponse', () => {
	it('sends a CSV as an attachment with its length in bytes, the text unchanged', async () => {
		const body = '\uFEFFSchool,Young people\r\nÉcole Sainte-Zoë,12\r\n';
		const response = fileResponse({ fileName: 'report.csv', contentType: 'text/csv; charset=utf-8', body });
		const bytes = new Uint8Array(await response.arrayBuffer());
		expect(response.headers.get('content-length')).toBe(String(bytes.byteLength));
		expect(bytes.byteLength).toBeGreaterThan(body.length);
		expect(new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes)).toBe(body);
		expect(response.headers.get('content-disposition')).toBe('attachment; filename="report.csv"');
		expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
	});

	it('sends a workbook’s bytes as they are, with their length', async () => {
		const body = new Uint8Array([0x50, 0x4b, 3, 4, 0, 255]);
		const response = fileResponse({ fileName: 'report.xlsx', contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', body });
		expect(response.headers.get('content-length')).toBe('6');
		expect(new Uint8Array(await response.arrayBuffer())).toEqual(body);
	});
});
