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
	    path?: string;
	    ok: boolean;
	    error?: string;
	}

}

