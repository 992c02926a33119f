import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

async function restrictedImportErrors(filePath: string, source: string): Promise<number> {
  const [result] = await eslint.lintText(source, { filePath });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').length;
}

describe('layering lint rules', () => {
  it('keeps Electron and React out of the domain core', async () => {
    expect(await restrictedImportErrors('electron/core/x.ts', "import { app } from 'electron';\nexport const a = app;\n")).toBe(1);
    expect(await restrictedImportErrors('electron/core/x.ts', "import React from 'react';\nexport const a = React;\n")).toBe(1);
    expect(await restrictedImportErrors('electron/core/x.ts', "import { readFileSync } from 'node:fs';\nexport const a = readFileSync;\n")).toBe(0);
  });

  it('keeps Node and Electron out of the renderer', async () => {
    expect(await restrictedImportErrors('renderer/src/x.ts', "import { readFileSync } from 'node:fs';\nexport const a = readFileSync;\n")).toBe(1);
    expect(await restrictedImportErrors('renderer/src/x.ts', "import { ipcRenderer } from 'electron';\nexport const a = ipcRenderer;\n")).toBe(1);
    expect(await restrictedImportErrors('renderer/src/x.ts', "import { openCore } from '../../electron/core/service.ts';\nexport const a = openCore;\n")).toBe(1);
  });

  it('keeps shared/ free of both', async () => {
    expect(await restrictedImportErrors('shared/x.ts', "import { createHash } from 'node:crypto';\nexport const a = createHash;\n")).toBe(1);
    expect(await restrictedImportErrors('shared/x.ts', "import { app } from 'electron';\nexport const a = app;\n")).toBe(1);
    expect(await restrictedImportErrors('shared/x.ts', "import { z } from 'zod';\nexport const a = z;\n")).toBe(0);
  });

  it('keeps the ledger and db layers below every feature of the core', async () => {
    const feature = "import { contractSchema } from '../outcomes/contract-schema.ts';\nexport const a = contractSchema;\n";
    expect(await restrictedImportErrors('electron/core/ledger/x.ts', feature)).toBe(1);
    expect(await restrictedImportErrors('electron/core/db/x.ts', feature)).toBe(1);
    expect(await restrictedImportErrors('electron/core/ledger/event-types/x.ts', "import { slaPolicyRule } from '../../sla/policy-rules.ts';\nexport const a = slaPolicyRule;\n")).toBe(1);
    expect(await restrictedImportErrors('electron/core/ledger/x.ts', "import { recordEvents } from '../derived/record-events.ts';\nexport const a = recordEvents;\n")).toBe(1);
    expect(await restrictedImportErrors('electron/core/ledger/x.ts', "import { registerFeatures } from '../features.ts';\nexport const a = registerFeatures;\n")).toBe(1);
    // The core's own restrictions still hold there, and the ledger may use the db layer.
    expect(await restrictedImportErrors('electron/core/ledger/x.ts', "import { app } from 'electron';\nexport const a = app;\n")).toBe(1);
    expect(await restrictedImportErrors('electron/core/ledger/x.ts', "import { openDatabase } from '../db/connection.ts';\nexport const a = openDatabase;\n")).toBe(0);
    // Features import the ledger, not the other way round.
    expect(await restrictedImportErrors('electron/core/outcomes/x.ts', "import { canonicalJson } from '../ledger/hashing.ts';\nexport const a = canonicalJson;\n")).toBe(0);
  });
});
