export namespace app {
	
	export interface Challenge {
	    id: string;
	    sessionId: string;
	    kind: string;
	    title: string;
	    instructions: string;
	    seconds: number;
	}
	export interface DeviceFinding {
	    kind: string;
	    label: string;
	    product: string;
	    reason: string;
	    strength: number;
	}
	export interface Interview {
	    id: string;
	    title: string;
	    candidateURL: string;
	    whipURL: string;
	    token: string;
	    // Go type: time
	    expiresAt: any;
	}
	export interface LiveState {
	    id: string;
	    source: string;
	    state: string;
	    message: string;
	    devices: DeviceFinding[];
	}
	export interface SignalScore {
	    name: string;
	    score: number;
	    reason: string;
	    region?: Rect;
	}
	export interface Rect {
	    x: number;
	    y: number;
	    w: number;
	    h: number;
	}
	export interface Overlay {
	    source: string;
	    id: string;
	    frame: number;
	    timeMs: number;
	    width: number;
	    height: number;
	    box?: Rect;
	    landmarks: number[];
	    risk: number;
	    level: string;
	    signals: SignalScore[];
	    audioLevel: number;
	    lipOffsetMs?: number;
	    lipConfidence: number;
	    dropped: number;
	    latencyMs: number;
	    frameURL: string;
	}
	
	export interface ReviewInfo {
	    id: string;
	    path: string;
	    title: string;
	    durationMs: number;
	    width: number;
	    height: number;
	    fps: number;
	    frames: number;
	}
	export interface ReviewProgress {
	    id: string;
	    done: number;
	    total: number;
	    fps: number;
	    finished: boolean;
	    error: string;
	}
	export interface RiskWindow {
	    startMs: number;
	    endMs: number;
	    risk: number;
	    level: string;
	    scores: Record<string, number>;
	    reasons: string[];
	}

}

export namespace camera {
	
	export interface Camera {
	    device: string;
	    index: number;
	    name: string;
	    driver: string;
	    card: string;
	    busInfo: string;
	    module: string;
	    capture: boolean;
	    virtual: boolean;
	    reason: string;
	}

}

export namespace models {
	
	export interface Status {
	    name: string;
	    file: string;
	    purpose: string;
	    size: number;
	    sha256: string;
	    licence: string;
	    package: string;
	    brew?: string;
	    system_paths?: string[];
	    generated?: string;
	    path?: string;
	    ok: boolean;
	    error?: string;
	}

}

export namespace store {
	
	export interface Mark {
	    id: number;
	    sessionId: string;
	    atMs: number;
	    note: string;
	    evidence: string;
	    // Go type: time
	    createdAt: any;
	}
	export interface Session {
	    id: string;
	    kind: string;
	    title: string;
	    source: string;
	    folder: string;
	    // Go type: time
	    startedAt: any;
	    // Go type: time
	    endedAt: any;
	    risk: number;
	    level: string;
	    frames: number;
	    dropped: number;
	    reportPath: string;
	    inputSha256: string;
	}
	export interface Settings {
	    storageDir: string;
	    retentionDays: number;
	    bindLAN: boolean;
	    sensitivity: string;
	}

}

