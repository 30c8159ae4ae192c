import * as devalue from 'devalue';
import { describe, expect, it } from 'vitest';
import { transport } from '../../../src/hooks';
import { serverRendered } from '../../../src/lib/server-rendered';

// A page rendered on the server only marks its load data so SvelteKit does not write it into the
// page (src/lib/server-rendered.ts). SvelteKit serialises load data with devalue, asking the
// transport hook about every value first, as this replacer does.

const replacer = (value: unknown) => {
	for (const [key, { encode }] of Object.entries(transport)) {
		const encoded = encode(value);
		if (encoded) return `app.decode('${key}', ${devalue.uneval(encoded)})`;
	}
	return undefined;
};

describe('server-rendered load data', () => {
	const rows = Array.from({ length: 600 }, (_, i) => ({ name: `County School ${i}`, reached: i }));

	it('is written as a placeholder, while the object itself is unchanged for the render', () => {
		const data = serverRendered({ rows, period: { label: '2024 to 2025' } });
		const written = devalue.uneval({ type: 'data', data, uses: {} }, replacer);
		expect(written).toBe(`{type:"data",data:app.decode('ServerRendered', 1),uses:{}}`);
		expect(data.rows).toHaveLength(600);
		expect(Object.keys(data)).toEqual(['rows', 'period']);
		expect(JSON.stringify(data)).toContain('County School 599');
	});

	it('leaves unmarked data as SvelteKit writes it', () => {
		const written = devalue.uneval({ type: 'data', data: { rows }, uses: {} }, replacer);
		expect(written).toContain('County School 599');
	});

	it('cannot be read back in a browser', () => {
		expect(() => transport.ServerRendered!.decode(1)).toThrow(/rendered on the server only/);
	});
});
