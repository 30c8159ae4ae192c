import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import { formatDay } from '../../format';

// Certificates as PDF. Only for awards a leader has signed off: the service checks that before
// calling these.
//
// Names are drawn in DejaVu Sans (from the dejavu-fonts-ttf package, under its free licence),
// which has every Latin, Greek and Cyrillic letter: PDF's standard Helvetica has only
// Windows-1252, and printed Łukasz as ?ukasz. The font is subset, so a certificate carries only
// the letters it uses (about 20 KB, not 700 KB).

const A4_LANDSCAPE: [number, number] = [841.89, 595.28];
const GREEN = rgb(0.16, 0.36, 0.2);
const INK = rgb(0.1, 0.1, 0.1);

export interface ParticipantCertificate {
	levelLabel: string;
	youngPersonName: string;
	groupName: string;
	/** YYYY-MM-DD. */
	achievedOn: string;
	partnershipName: string;
}

export interface GroupCertificate {
	groupName: string;
	leaderName: string;
	trustReference: string;
	partnershipName: string;
	participants: { name: string; levelLabel: string; achievedOn: string }[];
}

const fontFile = (name: string) => readFileSync(createRequire(import.meta.url).resolve(`dejavu-fonts-ttf/ttf/${name}`));
let fonts: { regular: Uint8Array; bold: Uint8Array; has: (codePoint: number) => boolean } | undefined;

/** The font files, read once a process. */
function certificateFonts() {
	if (!fonts) {
		const regular = fontFile('DejaVuSans.ttf');
		const bold = fontFile('DejaVuSans-Bold.ttf');
		const glyphs = [fontkit.create(regular), fontkit.create(bold)];
		fonts = { regular, bold, has: (codePoint) => glyphs.every((font) => font.hasGlyphForCodePoint(codePoint)) };
	}
	return fonts;
}

/**
 * A letter outside the font (a Chinese or Arabic name, an emoji) is drawn without its accent
 * where it has one, or as '?', rather than as an empty box or failing the whole certificate.
 */
function printable(text: string): string {
	const { has } = certificateFonts();
	return [...text.normalize('NFC')]
		.map((ch) => {
			if (has(ch.codePointAt(0)!)) return ch;
			const bare = ch.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
			return bare && [...bare].every((c) => has(c.codePointAt(0)!)) ? bare : '?';
		})
		.join('');
}

/** Draws text centred on the page at height y, shrunk to fit the width if it must. */
function centred(page: PDFPage, font: PDFFont, raw: string, y: number, size: number, color = INK) {
	const text = printable(raw);
	const maxWidth = page.getWidth() - 120;
	let fitted = size;
	while (fitted > 8 && font.widthOfTextAtSize(text, fitted) > maxWidth) fitted -= 1;
	const width = font.widthOfTextAtSize(text, fitted);
	page.drawText(text, { x: (page.getWidth() - width) / 2, y, size: fitted, font, color });
}

function border(page: PDFPage) {
	const inset = 24;
	page.drawRectangle({
		x: inset,
		y: inset,
		width: page.getWidth() - 2 * inset,
		height: page.getHeight() - 2 * inset,
		borderColor: GREEN,
		borderWidth: 4
	});
}

async function newDocument(title: string) {
	const pdf = await PDFDocument.create();
	pdf.setTitle(title);
	pdf.setCreator('Youth Programmes Tracker');
	pdf.setProducer('Youth Programmes Tracker');
	pdf.registerFontkit(fontkit);
	const { regular, bold } = certificateFonts();
	return {
		pdf,
		regular: await pdf.embedFont(regular, { subset: true }),
		bold: await pdf.embedFont(bold, { subset: true })
	};
}

export async function participantCertificate(c: ParticipantCertificate): Promise<Uint8Array> {
	const { pdf, regular, bold } = await newDocument(`John Muir Award: ${c.levelLabel}`);
	const page = pdf.addPage(A4_LANDSCAPE);
	border(page);
	centred(page, bold, 'John Muir Award', 470, 44, GREEN);
	centred(page, bold, `${c.levelLabel} Award`, 420, 28);
	centred(page, regular, 'This is to certify that', 360, 16);
	centred(page, bold, c.youngPersonName, 315, 34);
	centred(page, regular, `of ${c.groupName}`, 275, 16);
	centred(page, regular, `has achieved the John Muir Award at ${c.levelLabel} level`, 245, 16);
	centred(page, regular, `on ${formatDay(c.achievedOn)}`, 220, 16);
	centred(page, regular, 'Discover · Explore · Conserve · Share', 160, 14, GREEN);
	centred(page, regular, c.partnershipName, 80, 12);
	return pdf.save();
}

export async function groupCertificate(c: GroupCertificate): Promise<Uint8Array> {
	const { pdf, regular, bold } = await newDocument(`John Muir Award: ${c.groupName}`);
	const rowsPerPage = 14;
	const pages = Math.max(1, Math.ceil(c.participants.length / rowsPerPage));
	for (let n = 0; n < pages; n++) {
		const page = pdf.addPage(A4_LANDSCAPE);
		border(page);
		centred(page, bold, 'John Muir Award', 500, 36, GREEN);
		centred(page, bold, c.groupName, 460, 22);
		const details = [c.leaderName && `Led by ${c.leaderName}`, c.trustReference && `John Muir Trust reference ${c.trustReference}`].filter(Boolean).join('   ');
		if (details) centred(page, regular, details, 432, 12);
		centred(page, regular, 'has achieved the John Muir Award:', 400, 14);
		let y = 365;
		for (const p of c.participants.slice(n * rowsPerPage, (n + 1) * rowsPerPage)) {
			page.drawText([...printable(p.name)].slice(0, 60).join(''), { x: 110, y, size: 13, font: bold, color: INK });
			page.drawText([...printable(p.levelLabel)].slice(0, 30).join(''), { x: 470, y, size: 13, font: regular, color: INK });
			page.drawText(formatDay(p.achievedOn), { x: 620, y, size: 13, font: regular, color: INK });
			y -= 20;
		}
		const footer = pages > 1 ? `${c.partnershipName} · page ${n + 1} of ${pages}` : c.partnershipName;
		centred(page, regular, footer, 50, 11);
	}
	return pdf.save();
}

/** A certificate as a download: a file to keep and print, not a page, so every browser saves it under the name given. */
export function certificateResponse({ bytes, fileName }: { bytes: Uint8Array; fileName: string }): Response {
	return new Response(bytes as Uint8Array<ArrayBuffer>, {
		headers: {
			'content-type': 'application/pdf',
			'content-disposition': `attachment; filename="${fileName}"`,
			'cache-control': 'private, no-store'
		}
	});
}
