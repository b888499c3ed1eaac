/** The last path component of a program name or path. (Not /.*\//: that regex backtracks quadratically on long words.) */
export const bare = (p: string): string => p.slice(p.lastIndexOf("/") + 1);
