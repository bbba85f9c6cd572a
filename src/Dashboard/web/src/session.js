// Who is looking: the answer of GET /api/session ({name, role, method}); roles are ordered viewer < operator < admin.
const rank = { viewer: 0, operator: 1, admin: 2 };

export const canOperate = (session) => (rank[session?.role] ?? -1) >= rank.operator;
export const isAdmin = (session) => (rank[session?.role] ?? -1) >= rank.admin;
