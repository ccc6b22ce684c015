// Generated from src/session/protocol.rs by tests/protocol_js.rs; do not edit.
// Regenerate with: MFP_BLESS=1 cargo test --test protocol_js

/** A request the engine answers. @typedef {'describe' | 'loadData' | 'previewFile' | 'commitPreview' | 'setRating' | 'setTitles' | 'setFeatures' | 'setThreshold' | 'setTestFile' | 'setHoldout' | 'configure' | 'importModel' | 'importSpark' | 'openRun' | 'setParams' | 'restoreBest' | 'train' | 'interrupt' | 'views' | 'explain' | 'embeddings' | 'mapStart' | 'mapStep' | 'recommend' | 'similar' | 'foldIn' | 'evaluate' | 'makeRun' | 'compareRuns' | 'compareMaps' | 'readRuns' | 'writeRuns' | 'raceStart' | 'raceStep' | 'cvStart' | 'cvFold' | 'sweepStart' | 'sweepPoint' | 'sweepFronts' | 'sweepRecord' | 'labStart' | 'labStep' | 'aaPeeking' | 'labOffPolicy' | 'exportModel' | 'exportCode' | 'exportProjector' | 'exportPredictions' | 'exportRecommendations' | 'exportRatings' | 'randomSeed' | 'simulateFault'} RequestType */

/**
 * One function per request, each sending it through `request`: the page's code calls these,
 * and a panel is handed only the ones it needs.
 * @param {(type: RequestType, payload?: any, transfer?: Transferable[]) => Promise<any>} request
 */
export function createApi(request) {
  return {
    /** @param {any} [payload] @param {Transferable[]} [transfer] */
    describe: (payload = {}, transfer = []) => request('describe', payload, transfer),
    /** @param {any} [payload] @param {Transferable[]} [transfer] */
    loadData: (payload = {}, transfer = []) => request('loadData', payload, transfer),
    /** @param {any} [payload] @param {Transferable[]} [transfer] */
    previewFile: (payload = {}, transfer = []) => request('previewFile', payload, transfer),
    /** @param {any} [payload] @param {Transferable[]} [transfer] */
    commitPreview: (payload = {}, transfer = []) => request('commitPreview', payload, transfer),
    /** @param {any} [payload] @param {Transferable[]} [transfer] */
    setRating: (payload = {}, transfer = []) => request('setRating', payload, transfer),
    /** @param {any} [payload] @param {Transferable[]} [transfer] */
    setTitles: (payload = {}, transfer = []) => request('setTitles', payload, transfer),
    /** @param {any} [payload] @param {Transferable[]} [transfer] */
    setFeatures: (payload = {}, transfer = []) => request('setFeatures', payload, transfer),
    /** @param {any} [payload] @param {Transferable[]} [transfer] */
    setThreshold: (payload = {}, transfer = []) => request('setThreshold', payload, transfer),
    /** @param {any} [payload] @param {Transferable[]} [transfer] */
    setTestFile: (payload = {}, transfer = []) => request('setTestFile', payload, transfer),
    /** @param {any} [payload] @param {Transferable[]} [transfer] */
    setHoldout: (payload = {}, transfer = []) => request('setHoldout', payload, transfer),
    /** @param {any} [payload] @param {Transferable[]} [transfer] */
    configure: (payload = {}, transfer = []) => request('configure', payload, transfer),
    /** @param {any} [payload] @param {Transferable[]} [transfer] */
    importModel: (payload = {}, transfer = []) => request('importModel', payload, transfer),
    /** @param {any} [payload] @param {Transferable[]} [transfer] */
    importSpark: (payload = {}, transfer = []) => request('importSpark', payload, transfer),
    /** @param {any} [payload] @param {Transferable[]} [transfer] */
    openRun: (payload = {}, transfer = []) => request('openRun', payload, transfer),
    /** @param {any} [payload] @param {Transferable[]} [transfer] */
    setParams: (payload = {}, transfer = []) => request('setParams', payload, transfer),
    /** @param {any} [payload] @param {Transferable[]} [transfer] */
    restoreBest: (payload = {}, transfer = []) => request('restoreBest', payload, transfer),
    /** @param {any} [payload] @param {Transferable[]} [transfer] */
    train: (payload = {}, transfer = []) => request('train', payload, transfer),
    /** @param {any} [payload] @param {Transferable[]} [transfer] */
    interrupt: (payload = {}, transfer = []) => request('interrupt', payload, transfer),
    /** @param {any} [payload] @param {Transferable[]} [transfer] */
    views: (payload = {}, transfer = []) => request('views', payload, transfer),
    /** @param {any} [payload] @param {Transferable[]} [transfer] */
    explain: (payload = {}, transfer = []) => request('explain', payload, transfer),
    /** @param {any} [payload] @param {Transferable[]} [transfer] */
    embeddings: (payload = {}, transfer = []) => request('embeddings', payload, transfer),
    /** @param {any} [payload] @param {Transferable[]} [transfer] */
    mapStart: (payload = {}, transfer = []) => request('mapStart', payload, transfer),
    /** @param {any} [payload] @param {Transferable[]} [transfer] */
    mapStep: (payload = {}, transfer = []) => request('mapStep', payload, transfer),
    /** @param {any} [payload] @param {Transferable[]} [transfer] */
    recommend: (payload = {}, transfer = []) => request('recommend', payload, transfer),
    /** @param {any} [payload] @param {Transferable[]} [transfer] */
    similar: (payload = {}, transfer = []) => request('similar', payload, transfer),
    /** @param {any} [payload] @param {Transferable[]} [transfer] */
    foldIn: (payload = {}, transfer = []) => request('foldIn', payload, transfer),
    /** @param {any} [payload] @param {Transferable[]} [transfer] */
    evaluate: (payload = {}, transfer = []) => request('evaluate', payload, transfer),
    /** @param {any} [payload] @param {Transferable[]} [transfer] */
    makeRun: (payload = {}, transfer = []) => request('makeRun', payload, transfer),
    /** @param {any} [payload] @param {Transferable[]} [transfer] */
    compareRuns: (payload = {}, transfer = []) => request('compareRuns', payload, transfer),
    /** @param {any} [payload] @param {Transferable[]} [transfer] */
    compareMaps: (payload = {}, transfer = []) => request('compareMaps', payload, transfer),
    /** @param {any} [payload] @param {Transferable[]} [transfer] */
    readRuns: (payload = {}, transfer = []) => request('readRuns', payload, transfer),
    /** @param {any} [payload] @param {Transferable[]} [transfer] */
    writeRuns: (payload = {}, transfer = []) => request('writeRuns', payload, transfer),
    /** @param {any} [payload] @param {Transferable[]} [transfer] */
    raceStart: (payload = {}, transfer = []) => request('raceStart', payload, transfer),
    /** @param {any} [payload] @param {Transferable[]} [transfer] */
    raceStep: (payload = {}, transfer = []) => request('raceStep', payload, transfer),
    /** @param {any} [payload] @param {Transferable[]} [transfer] */
    cvStart: (payload = {}, transfer = []) => request('cvStart', payload, transfer),
    /** @param {any} [payload] @param {Transferable[]} [transfer] */
    cvFold: (payload = {}, transfer = []) => request('cvFold', payload, transfer),
    /** @param {any} [payload] @param {Transferable[]} [transfer] */
    sweepStart: (payload = {}, transfer = []) => request('sweepStart', payload, transfer),
    /** @param {any} [payload] @param {Transferable[]} [transfer] */
    sweepPoint: (payload = {}, transfer = []) => request('sweepPoint', payload, transfer),
    /** @param {any} [payload] @param {Transferable[]} [transfer] */
    sweepFronts: (payload = {}, transfer = []) => request('sweepFronts', payload, transfer),
    /** @param {any} [payload] @param {Transferable[]} [transfer] */
    sweepRecord: (payload = {}, transfer = []) => request('sweepRecord', payload, transfer),
    /** @param {any} [payload] @param {Transferable[]} [transfer] */
    labStart: (payload = {}, transfer = []) => request('labStart', payload, transfer),
    /** @param {any} [payload] @param {Transferable[]} [transfer] */
    labStep: (payload = {}, transfer = []) => request('labStep', payload, transfer),
    /** @param {any} [payload] @param {Transferable[]} [transfer] */
    aaPeeking: (payload = {}, transfer = []) => request('aaPeeking', payload, transfer),
    /** @param {any} [payload] @param {Transferable[]} [transfer] */
    labOffPolicy: (payload = {}, transfer = []) => request('labOffPolicy', payload, transfer),
    /** @param {any} [payload] @param {Transferable[]} [transfer] */
    exportModel: (payload = {}, transfer = []) => request('exportModel', payload, transfer),
    /** @param {any} [payload] @param {Transferable[]} [transfer] */
    exportCode: (payload = {}, transfer = []) => request('exportCode', payload, transfer),
    /** @param {any} [payload] @param {Transferable[]} [transfer] */
    exportProjector: (payload = {}, transfer = []) => request('exportProjector', payload, transfer),
    /** @param {any} [payload] @param {Transferable[]} [transfer] */
    exportPredictions: (payload = {}, transfer = []) => request('exportPredictions', payload, transfer),
    /** @param {any} [payload] @param {Transferable[]} [transfer] */
    exportRecommendations: (payload = {}, transfer = []) => request('exportRecommendations', payload, transfer),
    /** @param {any} [payload] @param {Transferable[]} [transfer] */
    exportRatings: (payload = {}, transfer = []) => request('exportRatings', payload, transfer),
    /** @param {any} [payload] @param {Transferable[]} [transfer] */
    randomSeed: (payload = {}, transfer = []) => request('randomSeed', payload, transfer),
    /** @param {any} [payload] @param {Transferable[]} [transfer] */
    simulateFault: (payload = {}, transfer = []) => request('simulateFault', payload, transfer),
  };
}

/** @typedef {ReturnType<typeof createApi>} EngineApi */
