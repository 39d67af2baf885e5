export declare const MIN_NODE: string;
export declare function nodeVersionProblem(version: string): string | undefined;
export declare function assertSupportedNode(version?: string): void;
