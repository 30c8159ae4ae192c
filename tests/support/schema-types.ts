import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/** What Kysely makes of one column of the hand-written `DB` interface in schema.ts. */
export interface ColumnTypes {
	/** The type a select gives. */
	select: TypeShape;
	/** Whether Insertable<> has the column at all (GeneratedAlways<> leaves it out). */
	insertable: boolean;
	/** Whether an insert may leave it out. */
	insertOptional: boolean;
	/** Whether Updateable<> has the column. */
	updateable: boolean;
}

export interface TypeShape {
	/** `string`, `number`, `boolean`, `Date`, `object`, `unknown`, one of those with `[]`, or several joined by ` | `. */
	kind: string;
	nullable: boolean;
	/** For a union of string literals, or an array of one: the literals, sorted. */
	literals?: string[];
}

const schemaFile = fileURLToPath(new URL('../../src/lib/server/db/schema.ts', import.meta.url));

// The compiler is asked for Kysely's own view of each table rather than reading declarations,
// so aliases, ColumnType<>, Generated<>, `(typeof xs)[number]` and the merged DB interface all
// resolve as they do in the app.
const probeFile = join(dirname(schemaFile), 'schema-types.probe.ts');
const probeSource = `
import type { Insertable, Selectable, Updateable } from 'kysely';
import type { DB } from './schema';
export type Probe = { [T in keyof DB]: { select: Selectable<DB[T]>; insert: Insertable<DB[T]>; update: Updateable<DB[T]> } };
`;

/** Every table of `DB` in schema.ts, and its columns, read with the TypeScript compiler. */
export function readSchemaTypes(): Map<string, Map<string, ColumnTypes>> {
	const options: ts.CompilerOptions = {
		strict: true,
		noEmit: true,
		target: ts.ScriptTarget.ES2022,
		module: ts.ModuleKind.ESNext,
		moduleResolution: ts.ModuleResolutionKind.Bundler,
		lib: ['lib.es5.d.ts'],
		types: []
	};
	// Only Kysely's column types (schema.ts imports nothing else from it): the whole library is
	// 300 declaration files, seconds to load on two cores.
	const kysely = ts.resolveModuleName('kysely', schemaFile, options, ts.sys).resolvedModule;
	if (!kysely) throw new Error('Cannot find the kysely package from schema.ts');
	options.paths = { kysely: [join(dirname(kysely.resolvedFileName), 'util', 'column-type.d.ts')] };

	const host = ts.createCompilerHost(options, true);
	const { getSourceFile, fileExists, readFile } = host;
	host.getSourceFile = (name, language, ...rest) =>
		name === probeFile ? ts.createSourceFile(name, probeSource, language, true) : getSourceFile.call(host, name, language, ...rest);
	host.fileExists = (name) => name === probeFile || fileExists.call(host, name);
	host.readFile = (name) => (name === probeFile ? probeSource : readFile.call(host, name));
	const program = ts.createProgram({ rootNames: [probeFile], options, host });

	// A type error would turn columns into `any`, which would then match anything.
	const errors = [schemaFile, probeFile].flatMap((name) => {
		const file = program.getSourceFile(name);
		return file ? [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)] : [];
	});
	if (errors.length > 0) throw new Error(ts.formatDiagnostics(errors, { ...host, getNewLine: () => '\n' }));

	const checker = program.getTypeChecker();
	const probe = program.getSourceFile(probeFile)!.statements.find(ts.isTypeAliasDeclaration)!;
	const view = (table: ts.Type, name: string) => checker.getTypeOfSymbol(checker.getPropertyOfType(table, name)!);

	const tables = new Map<string, Map<string, ColumnTypes>>();
	for (const table of checker.getPropertiesOfType(checker.getTypeAtLocation(probe.name))) {
		const views = checker.getTypeOfSymbol(table);
		const insert = view(views, 'insert');
		const update = view(views, 'update');
		const columns = new Map<string, ColumnTypes>();
		for (const column of checker.getPropertiesOfType(view(views, 'select'))) {
			const inserted = checker.getPropertyOfType(insert, column.name);
			columns.set(column.name, {
				select: shapeOf(checker, checker.getTypeOfSymbol(column)),
				insertable: inserted !== undefined,
				insertOptional: inserted !== undefined && (inserted.flags & ts.SymbolFlags.Optional) !== 0,
				updateable: checker.getPropertyOfType(update, column.name) !== undefined
			});
		}
		tables.set(table.name, columns);
	}
	return tables;
}

function shapeOf(checker: ts.TypeChecker, type: ts.Type): TypeShape {
	const members = type.isUnion() ? type.types : [type];
	const values = members.filter((t) => !(t.flags & ts.TypeFlags.Null));
	const shape: TypeShape = {
		kind: [...new Set(values.map((t) => kindOf(checker, t)))].sort().join(' | ') || 'never',
		nullable: values.length < members.length
	};
	if (values.length > 0 && values.every((t) => t.isStringLiteral())) {
		shape.literals = values.map((t) => (t as ts.StringLiteralType).value).sort();
	} else if (values.length === 1 && checker.isArrayType(values[0]!)) {
		const literals = shapeOf(checker, elementOf(checker, values[0]!)).literals;
		if (literals) shape.literals = literals;
	}
	return shape;
}

function kindOf(checker: ts.TypeChecker, type: ts.Type): string {
	if (type.flags & ts.TypeFlags.StringLike) return 'string';
	if (type.flags & ts.TypeFlags.NumberLike) return 'number';
	if (type.flags & ts.TypeFlags.BooleanLike) return 'boolean';
	if (type.flags & ts.TypeFlags.Unknown) return 'unknown';
	if (checker.isArrayType(type)) {
		const element = shapeOf(checker, elementOf(checker, type));
		return element.nullable ? `(${element.kind} | null)[]` : `${element.kind}[]`;
	}
	if (type.getSymbol()?.getName() === 'Date') return 'Date';
	if (type.flags & ts.TypeFlags.Object) return 'object';
	return checker.typeToString(type); // any, undefined, never...: matches no database type
}

function elementOf(checker: ts.TypeChecker, array: ts.Type): ts.Type {
	return checker.getTypeArguments(array as ts.TypeReference)[0]!;
}
