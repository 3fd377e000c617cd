import type { DuckDBBindings } from '@duckdb/duckdb-wasm/dist/duckdb-browser-blocking.mjs';
import { PolicyError, type Policy } from '../../gov/policy-schema';
import type { MaskKeys } from '../../gov/masks';
import { buildRoleView } from '../../gov/role-view';
import { asPolicyApplies, tabMaskKeys } from './governance/prepared-lake';
import type { SiteConfig } from '../../gov/site';
import type { RoleView, Session } from '../../gov/types';
import type { Manifest } from '../../lake/manifest';
import { EngineFailure, fail, toEngineError } from '../errors';
import { beyondTheTab } from './query-stops';
import { cancelledError, roleChangedError, timeoutError } from './query-stops';
import { WorkerGovernance } from './governance/worker-governance';
import { LocalLake } from './ingest/local-lake';
import { memoryUploadStore } from './ingest/upload-store';
import { LAKE_CONTRACTS } from '../../lake/lake-contracts';
import type { IngestFile } from '../../contract/ingest';
import { needsStaging } from './loader/load-plan';
import type { ParquetDecoder } from './loader/parquet-decoder';
import { ipcBuffers } from '../../contract/ipc-bytes';
import type { LoadProgress } from '../../contract/results';
import type { RequestEnvelope } from '../protocol';
import { RoleEngine } from './role-engine';
import type { HostPlatform } from './host-platform';
import { StagingInstance } from './staging-instance';
import { IDLE_WORK_AFTER_MS, UserInstances } from './user-instances';
import { wantsThreads } from './core/thread-count';
import { RequestQueue, type QueuedRequest } from './request-queue';
import { folderUrl, POLICY_HINT, readCatalog, readFolderPolicy, siteOf } from './lake-folder';

/** See `HostPlatform.stopGraceMs`: most chart and cell statements of the sample lake end within it. */
const STOP_GRACE_MS = 1_000;

interface Lake {
  /** The lake's root: site.json, the shared notebooks, and the key of this browser's tag changes. */
  rootUrl: string;
  /** The folder whose catalog, policy and files the engine reads: the role's prepared folder, or the root. */
  lakeUrl: string;
  manifest: Manifest;
  policy: Policy;
  decoder: ParquetDecoder;
  /** Set on a site of prepared role folders; absent when the lake is served raw. */
  site?: SiteConfig;
  /**
   * Keys for masking in the tab, used only on a lake served raw (development): made for this engine and
   * never stored, so a pseudonym means nothing outside the tab that made it.
   */
  tabKeys: MaskKeys;
}

interface Running {
  id: number;
  stop?: EngineFailure;
  /** Cancelled while its statement runs on for a moment: the statement may end, its answer may not leave. */
  dropAnswer?: EngineFailure;
  /** A DuckDB statement was in flight when it was stopped (between loads and plans, nothing is). */
  interrupted?: boolean;
  engine?: RoleEngine;
}

/**
 * Answers the protocol's requests inside the engine worker. Requests run one at a time, in the order of
 * `RequestQueue`; `cancel` is answered at once, between the polls of the statement it targets.
 */
export class EngineHost {
  private lake?: Lake;
  private engine?: RoleEngine;
  private readonly instances: UserInstances;
  private governance?: WorkerGovernance;
  private local?: LocalLake;
  /** Kept uploads that could not be restored at start; shown as warnings of the view. */
  private localProblems: string[] = [];
  private readonly staging: StagingInstance;
  private readonly queue = new RequestQueue(
    (id, request) => this.serve(id, request),
    (id, reason) => this.failWith(id, reason.error),
    () => this.idle(),
  );
  private running?: Running;

  constructor(private readonly platform: HostPlatform) {
    this.instances = new UserInstances(platform);
    // The one-thread instance started early serves as staging when the role's engine did not take it.
    this.staging = new StagingInstance(() =>
      this.instances.takeEarly().then((early) => early ?? platform.createBindings('staging')),
    );
  }

  handle({ id, request }: RequestEnvelope): void {
    if (request.kind === 'cancel') {
      this.reply(id, { cancelled: this.cancel(request.target, cancelledError(), { grace: true }) });
      return;
    }
    // Answered out of turn: the client's heartbeat asks whether the worker is alive, not idle.
    if (request.kind === 'ping') {
      this.reply(id, { ok: true });
      return;
    }
    if (request.kind === 'setSession') this.stopQueriesOfOldRole(request.session);
    this.instances.busy();
    this.staging.busy();
    this.queue.push({ id, request });
  }

  /** See `UserInstances.startEarly`: the worker calls it as soon as it runs. */
  startInstanceEarly(): void {
    this.instances.startEarly();
  }

  /**
   * Queries asked before a role switch were asked by the old role: the one running is stopped and those
   * still waiting fail, so no answer computed for the old role leaves the worker once the switch is asked.
   */
  private stopQueriesOfOldRole(session: Session): void {
    const reason = roleChangedError(session);
    this.queue.cancelQueries(reason);
    if (this.running?.engine) this.cancel(this.running.id, reason, { grace: true });
  }

  private async serve(id: number, request: QueuedRequest): Promise<void> {
    this.running = { id };
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      switch (request.kind) {
        case 'init':
          return this.reply(id, await this.init(id, request.lakeUrl, request.session));
        case 'setSession':
          return this.reply(id, await this.switchSession(id, request.session));
        case 'changeTags': {
          const engine = this.engine ?? fail('INTERNAL', 'The engine has not started.');
          const governance = this.governance ?? fail('INTERNAL', 'The engine has not started.');
          const session = engine.view.session;
          // Judged as the policy applies to the data, so that masks the host already applied to this
          // folder do not hide that a change would lift them where data is masked at query time.
          const manifest = await governance.changeTags(engine.view, request.change, (m) =>
            this.viewOf(asPolicyApplies(m), session),
          );
          if (this.lake) this.lake.manifest = manifest;
          return this.reply(id, await this.rebuild(id, engine.view.session));
        }
        case 'ingest':
          return this.reply(id, await this.ingest(id, request.files));
        case 'eraseLocal':
          return this.reply(id, await this.eraseLocal(id));
        case 'auditVerify':
        case 'auditExport': {
          const engine = this.engine ?? fail('INTERNAL', 'The engine has not started.');
          const governance = this.governance ?? fail('INTERNAL', 'The engine has not started.');
          const view = engine.view;
          return this.reply(
            id,
            request.kind === 'auditVerify' ? await governance.verify(view) : await governance.export(view),
          );
        }
        case 'catalog': {
          const engine = this.engine ?? fail('INTERNAL', 'The engine has not started.');
          return this.reply(id, { view: engine.view, manifest: engine.manifest });
        }
        case 'query': {
          const engine = this.engine ?? fail('INTERNAL', 'The engine has not started.');
          const running: Running = { id, engine };
          this.running = running;
          if (request.timeoutMs !== undefined) {
            const limit = request.timeoutMs;
            timer = setTimeout(() => this.cancel(id, timeoutError(limit)), limit);
          }
          const result = await engine.query(request.sql, request.cells, {
            columnsOnly: request.columnsOnly,
            maxRows: request.maxRows,
            maxBytes: request.maxBytes,
            report: (p) => this.progress(id, p),
            shouldStop: () => running.stop,
          });
          if (running.dropAnswer) return this.failWith(id, running.dropAnswer.error);
          this.platform.post({ id, ok: true, value: result }, ipcBuffers(result.ipc));
          return;
        }
      }
    } catch (e) {
      // A statement whose answer was to be dropped answers as cancelled, whatever ended it.
      const dropped = this.running?.dropAnswer;
      this.failWith(id, dropped ? dropped.error : beyondTheTab(toEngineError(e)));
    } finally {
      clearTimeout(timer);
      const interrupted = this.running?.interrupted === true;
      this.running = undefined;
      if (interrupted) await this.replaceStoppedInstance();
    }
  }

  /** A new user instance for the same role, in place of one still busy with a stopped statement. */
  private async replaceStoppedInstance(): Promise<void> {
    const session = this.engine?.view.session;
    if (!session) return;
    const threads = this.wantsThreads(session);
    const bindings = await this.instances.afterStop();
    if (!bindings) return;
    this.engine = undefined;
    this.startRole(bindings, session, threads);
  }

  /**
   * Stops a request. Between loads and plans that costs nothing. With `grace`, where stopping a DuckDB
   * statement in flight costs a new instance and no spare has started, the statement may go on for a
   * moment first, its answer dropped: most end within it and leave the instance usable.
   */
  private cancel(target: number, reason: EngineFailure, { grace = false } = {}): boolean {
    const running = this.running;
    if (running?.id === target) {
      if (grace && running.engine?.user.busy && this.instances.stopCostsInstance()) {
        running.dropAnswer ??= reason;
        setTimeout(() => {
          if (this.running === running) this.stopNow(running, reason);
        }, this.platform.stopGraceMs ?? STOP_GRACE_MS);
      } else this.stopNow(running, reason);
      return true;
    }
    this.queue.cancel(target, reason);
    return false;
  }

  private stopNow(running: Running, reason: EngineFailure): void {
    running.stop ??= reason;
    if (running.engine?.user.cancel()) running.interrupted = true;
  }

  private async init(id: number, lakeUrl: string, session: Session) {
    const root = lakeUrl.endsWith('/') ? lakeUrl : `${lakeUrl}/`;
    const step = (done: number, message: string) =>
      this.progress(id, { phase: done < 2 ? 'engine' : 'catalog', done, total: 4, message });
    step(0, 'Starting the engine');
    // The engine's wasm, the decoder's wasm and the lake's catalog and policy load side by side.
    const fetchJson = this.fetchJson;
    const folder = siteOf(fetchJson, root).then((site) => ({ site, url: folderUrl(root, site, session) }));
    const [decoder, { site, url }, manifest, policy] = await Promise.all([
      this.platform.decoder(),
      folder,
      folder.then(({ url }) => readCatalog(fetchJson, url)),
      folder.then(({ url }) => readFolderPolicy(fetchJson, url)),
    ]);
    step(2, 'Reading the lake catalog and policy');
    this.governance = await WorkerGovernance.open(this.platform.governanceStorage, root, manifest);
    await this.governance.recordRoleChange(undefined, session);
    this.lake = {
      rootUrl: root,
      lakeUrl: url,
      manifest: this.governance.manifest(),
      policy,
      decoder,
      site,
      tabKeys: tabMaskKeys(),
    };
    await this.openLocal();
    const threads = this.wantsThreads(session);
    const info = this.startRole(await this.instances.first(threads), session, threads);
    this.progress(id, { phase: 'policy', done: 4, total: 4, message: 'Ready' });
    return info;
  }

  private async switchSession(id: number, session: Session) {
    const lake = this.lake ?? fail('INTERNAL', 'The engine has not started.');
    const recorded = this.governance?.recordRoleChange(this.engine?.view.session, session);
    if (lake.site) {
      // Another role reads another folder: its own catalog and policy, never the files of the role before.
      const url = folderUrl(lake.rootUrl, lake.site, session);
      const [manifest, policy] = await Promise.all([
        readCatalog(this.fetchJson, url),
        readFolderPolicy(this.fetchJson, url),
        recorded,
      ]);
      const governed = this.governance?.replaceCatalog(manifest) ?? manifest;
      this.lake = { ...lake, lakeUrl: url, manifest: governed, policy };
    } else await recorded;
    return this.rebuild(id, session);
  }

  /** A new user instance for the session, built from the current policy and catalog tags. */
  private async rebuild(id: number, session: Session) {
    this.progress(id, {
      phase: 'policy',
      done: 0,
      total: 1,
      message: `Preparing the view of ${session.role}`,
    });
    // A busy instance is not closed: closing waits for its stopped statement.
    if (this.instances.closable) this.engine?.user.close();
    this.engine = undefined;
    const threads = this.wantsThreads(session);
    const info = this.startRole(await this.instances.emptiedOrNew(threads), session, threads);
    this.progress(id, { phase: 'policy', done: 1, total: 1, message: 'Ready' });
    return info;
  }

  /** The browser's own zones, rebuilt from the files kept in this browser. */
  private async openLocal(): Promise<void> {
    const store = await (this.platform.uploadStore?.() ?? Promise.resolve(memoryUploadStore())).catch(() =>
      memoryUploadStore(),
    );
    const opened = await LocalLake.open({
      store,
      contracts: LAKE_CONTRACTS,
      parquetToIpc: this.platform.parquetToIpc,
      staging: () => this.staging.get(),
    });
    this.local = opened.lake;
    this.localProblems = opened.problems;
  }

  private async ingest(id: number, files: IngestFile[]) {
    const local = this.local ?? fail('INTERNAL', 'The engine has not started.');
    const session = this.engine?.view.session ?? fail('INTERNAL', 'The engine has not started.');
    const reports = await local.ingest(files, new Date());
    for (const r of reports) {
      const counts = `${r.ingested} ingested, ${r.duplicate} duplicate, ${r.rejected} rejected`;
      const statement = `ingest ${r.file}: ${r.error ?? counts}`;
      await this.governance?.recordLocalData(session, 'ingest', statement, r.tables, r.ingested);
    }
    return { ...(await this.rebuild(id, session)), reports };
  }

  private async eraseLocal(id: number) {
    const local = this.local ?? fail('INTERNAL', 'The engine has not started.');
    const session = this.engine?.view.session ?? fail('INTERNAL', 'The engine has not started.');
    const tables = await local.erase();
    this.localProblems = [];
    await this.governance?.recordLocalData(session, 'erase-local', 'erase local data', tables, 0);
    return this.rebuild(id, session);
  }

  /** The session's role view over the lake's catalog `manifest`, with this browser's own zones merged in. */
  private viewOf(lakeManifest: Manifest, session: Session): RoleView {
    const lake = this.lake ?? fail('INTERNAL', 'The engine has not started.');
    const manifest = this.local ? this.local.merge(lakeManifest) : lakeManifest;
    const policy = this.local ? this.local.policy(lake.policy) : lake.policy;
    try {
      return buildRoleView(policy, manifest, session, { maskKeys: lake.tabKeys });
    } catch (e) {
      if (e instanceof PolicyError) fail('POLICY', e.message, POLICY_HINT);
      throw e;
    }
  }

  /** Whether the session's view is large enough for DuckDB's threaded build (`wantsThreads`). */
  private wantsThreads(session: Session): boolean {
    const lake = this.lake ?? fail('INTERNAL', 'The engine has not started.');
    const manifest = this.local ? this.local.merge(lake.manifest) : lake.manifest;
    const rows = new Map(manifest.tables.map((t) => [t.name, t.rowCount]));
    const view = this.viewOf(lake.manifest, session);
    return wantsThreads(view.tables.reduce((sum, t) => sum + (rows.get(t.table) ?? 0), 0));
  }

  private startRole(bindings: DuckDBBindings, session: Session, threads: boolean) {
    const lake = this.lake ?? fail('INTERNAL', 'The engine has not started.');
    const manifest = this.local ? this.local.merge(lake.manifest) : lake.manifest;
    const decoder = this.local ? this.local.decoder(lake.decoder, lake.lakeUrl) : lake.decoder;
    let view = this.viewOf(lake.manifest, session);
    const engine = new RoleEngine(
      bindings,
      view,
      manifest,
      lake.lakeUrl,
      decoder,
      () => this.staging.get(),
      this.governance?.hooksFor(view),
    );
    const problems = [...engine.problems, ...this.localProblems];
    if (problems.length > 0) view = { ...view, warnings: [...(view.warnings ?? []), ...problems] };
    this.engine = engine;
    this.instances.use(bindings, threads);
    return {
      dialect: 'duckdb',
      runsIn: 'browser',
      enforcesPolicy: false,
      version: bindings.getVersion(),
      threads: engine.threads,
      view,
      manifest,
      audit: this.governance?.status,
    };
  }

  private readonly fetchJson = (url: string) => this.platform.fetchJson(url);

  /** Nothing is left to serve: work ahead of need, among it the trusted instance when the role's view needs it. */
  private idle(): void {
    this.instances.idle();
    if (this.engine?.view.tables.some(needsStaging)) this.staging.prewarmWhenIdle(IDLE_WORK_AFTER_MS);
  }

  private progress(id: number, progress: LoadProgress): void {
    this.platform.post({ id, progress });
  }

  private reply(id: number, value: unknown): void {
    this.platform.post({ id, ok: true, value });
  }

  private failWith(id: number, error: ReturnType<typeof toEngineError>): void {
    this.platform.post({ id, ok: false, error });
  }
}
