import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// Every `npm run <script>` the README and deploy guide tell someone to type is a script of package.json.

describe('the commands the README names', () => {
	it('are all scripts of package.json', () => {
		const scripts = Object.keys((JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts);
		const named = new Set(
			['README.md', 'deploy/README.md'].flatMap((file) => [...readFileSync(file, 'utf8').matchAll(/npm run ([a-z][\w:-]*)/g)].map((m) => m[1]!))
		);
		expect(named.size).toBeGreaterThan(5);
		expect([...named].filter((name) => !scripts.includes(name))).toEqual([]);
	});
});
