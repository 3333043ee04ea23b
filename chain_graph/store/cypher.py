"""Every Cypher statement of the Neo4j store, in one place.

Labels and relationship types are fixed here (never built from input); every value
is a parameter. Nodes carry `v`, the load version they belong to: a load writes a new
version beside the old and switches the active version in one transaction, so readers never
see half a dataset and a failed or killed load leaves the old. The previous version is kept
until the next load starts, so a reader that began on it finishes on it.
"""

from __future__ import annotations

from .properties import NODES

LABELS = tuple(shape.label for shape in NODES.values())
META = "CG_Meta"
LEASE = "CG_Lease"  # the one writer's lease: who loads now, until when
LOCAL = "CG_Local"  # a second label on active local firms: the few every gap analysis starts from

CONSTRAINTS = [
    *(f"CREATE CONSTRAINT {label.lower()}_id_v IF NOT EXISTS FOR (n:{label}) REQUIRE (n.id, n.v) IS UNIQUE"
      for label in LABELS),
    f"CREATE CONSTRAINT cg_meta_key IF NOT EXISTS FOR (m:{META}) REQUIRE m.key IS UNIQUE",
    f"CREATE CONSTRAINT cg_lease_key IF NOT EXISTS FOR (l:{LEASE}) REQUIRE l.key IS UNIQUE",
    f"CREATE INDEX cg_local_v IF NOT EXISTS FOR (n:{LOCAL}) ON (n.v)",
    "CREATE INDEX cg_local_placement IF NOT EXISTS FOR ()-[r:OPERATES_IN]-() ON (r.local_link)",
]
AWAIT_INDEXES = "CALL db.awaitIndexes(600)"

ACTIVE = f"MATCH (m:{META} {{key: 'active'}}) RETURN m.version AS version, m.fingerprint AS fingerprint, m.region AS region"
VERSIONS = "MATCH (n) WHERE n:" + " OR n:".join(LABELS) + " RETURN DISTINCT n.v AS v"

MERGE_NODES = {
    label: f"UNWIND $rows AS row MERGE (n:{label} {{id: row.id, v: $v}}) SET n += row.props"
    for label in LABELS
}
MERGE_FEEDS = """
UNWIND $rows AS row
MATCH (a:CG_Link {id: row.source, v: $v}), (b:CG_Link {id: row.target, v: $v})
MERGE (a)-[r:FEEDS]->(b) SET r += row.props
"""
# a batch of firms with their placements in one statement: the bulk of every load. The placement is
# CREATEd: its firm is new in this version and validation allows one placement per firm and link
MERGE_FIRMS = f"""
UNWIND $rows AS row
MERGE (f:CG_Firm {{id: row.id, v: $v}}) SET f += row.props
FOREACH (_ IN CASE WHEN row.local_active THEN [1] ELSE [] END | SET f:{LOCAL})
WITH f, row
UNWIND row.links AS placement
MATCH (l:CG_Link {{id: placement.link_id, v: $v}})
CREATE (f)-[r:OPERATES_IN]->(l) SET r += placement.props
"""
MERGE_SUPPLIES = """
UNWIND $rows AS row
MATCH (a:CG_Firm {id: row.supplier_id, v: $v}), (b:CG_Firm {id: row.customer_id, v: $v})
MERGE (a)-[r:SUPPLIES]->(b) SET r += row.props
"""
MERGE_MAKES = """
UNWIND $rows AS row
MATCH (p:CG_Project {id: row.project_id, v: $v}), (l:CG_Link {id: row.link_id, v: $v})
MERGE (p)-[r:MAKES]->(l) SET r.capacity = row.capacity
"""
MERGE_BY_FIRM = """
UNWIND $rows AS row
MATCH (p:CG_Project {id: row.project_id, v: $v}), (f:CG_Firm {id: row.firm_id, v: $v})
MERGE (p)-[:BY_FIRM]->(f)
"""
# the switch, only while the lease is still ours (a loader paused past its lease must not switch)
ACTIVATE = f"""
MATCH (:{LEASE} {{key: 'writer', holder: $holder}})
MERGE (m:{META} {{key: 'active'}})
SET m.version = $v, m.fingerprint = $fingerprint, m.region = $region
RETURN count(m) AS switched
"""
# the lease is taken in one transaction: lock the node (the SET), read who holds it, take it or not
LEASE_LOCK = f"""
MERGE (l:{LEASE} {{key: 'writer'}}) SET l.locked = true REMOVE l.locked
RETURN l.holder AS holder, l.info AS info, l.host AS host, l.pid AS pid, l.expires < timestamp() AS expired
"""
LEASE_TAKE = f"""
MATCH (l:{LEASE} {{key: 'writer'}})
SET l.holder = $holder, l.info = $info, l.host = $host, l.pid = $pid, l.expires = timestamp() + $ttl
"""
LEASE_RENEW = f"""
MATCH (l:{LEASE} {{key: 'writer', holder: $holder}}) SET l.expires = timestamp() + $ttl RETURN count(l) AS held
"""
LEASE_RELEASE = f"MATCH (l:{LEASE} {{key: 'writer', holder: $holder}}) DELETE l"
# one batch of a version's relationships, then of its (by then unattached) nodes; each is run until it
# deletes none, so no transaction holds more than a batch (dense link nodes have many relationships)
DELETE_VERSION_RELATIONSHIPS = (
    "MATCH (n)-[r]-() WHERE (n:" + " OR n:".join(LABELS) + ") AND n.v = $v "
    "WITH DISTINCT r LIMIT $batch DELETE r RETURN count(*) AS deleted"
)
DELETE_VERSION_NODES = (
    "MATCH (n) WHERE (n:" + " OR n:".join(LABELS) + ") AND n.v = $v "
    "WITH n LIMIT $batch DELETE n RETURN count(*) AS deleted"
)
DELETE_META = f"MATCH (m:{META}) DELETE m"

CHAINS = "MATCH (c:CG_Chain {v: $v}) RETURN c.doc AS doc ORDER BY c.ord"
LINKS = """
MATCH (l:CG_Link {v: $v}) WHERE $chain IS NULL OR l.chain = $chain
RETURN l.doc AS doc ORDER BY l.ord
"""
FEEDS = """
MATCH (a:CG_Link {v: $v})-[r:FEEDS]->(b:CG_Link)
RETURN r.doc AS doc ORDER BY r.ord
"""
# a placement of an active local firm carries its link's id as `local_link`, indexed, so the tally
# below seeks exactly the local placements instead of reading every placement.
# Tallied once per load, before the version goes live (a version never changes afterwards), on each link
# node: how many active local firms, their known capacities summed in firm-id order (the order Python sums
# them in, so the float is the same), the ids of the first few and of those with the largest capacity.
# A gap analysis then reads one short row per link, whatever the number of firms.
TALLY_LINKS = """
MATCH (l:CG_Link {v: $v}) SET l.local_count = 0 REMOVE l.local_capacity, l.local_first, l.local_largest
WITH count(*) AS links
MATCH (f:CG_Firm)-[r:OPERATES_IN]->(l:CG_Link)
USING INDEX r:OPERATES_IN(local_link)
WHERE r.local_link IS NOT NULL AND l.v = $v
WITH l, f, r ORDER BY f.id
WITH l, collect({id: f.id, capacity: r.capacity}) AS firms
WITH l, firms, [x IN firms WHERE x.capacity IS NOT NULL] AS known
WITH l, firms, known, reduce(top = null, x IN known | CASE WHEN top IS NULL OR x.capacity > top
                                                          THEN x.capacity ELSE top END) AS top
SET l.local_count = size(firms), l.local_first = [x IN firms[..$first] | x.id],
  l.local_capacity = CASE WHEN size(known) > 0 THEN reduce(total = 0.0, x IN known | total + x.capacity) END,
  l.local_largest = [x IN known WHERE x.capacity = top | x.id]
"""
UNTALLIED = "MATCH (l:CG_Link {v: $v}) WHERE l.local_count IS NULL RETURN count(l) AS links"
LOCAL_TALLY = """
MATCH (l:CG_Link {v: $v}) WHERE l.id IN $ids AND l.local_count > 0
RETURN l.id AS link_id, l.local_count AS count, l.local_capacity AS capacity,
  COLLECT { UNWIND l.local_first AS id MATCH (f:CG_Firm {id: id, v: $v})-[r:OPERATES_IN]->(l)
            RETURN {id: f.id, name: f.name, capacity: r.capacity} AS firm ORDER BY firm.id } AS first,
  COLLECT { UNWIND l.local_largest AS id MATCH (f:CG_Firm {id: id, v: $v})-[r:OPERATES_IN]->(l)
            RETURN {id: f.id, name: f.name, capacity: r.capacity} AS firm ORDER BY firm.id } AS largest
"""
LOCAL_FIRMS = """
MATCH (f:CG_Firm)-[r:OPERATES_IN]->(l:CG_Link)
USING INDEX r:OPERATES_IN(local_link)
WHERE r.local_link = $id AND l.v = $v
RETURN f.id AS id, f.name AS name, r.capacity AS capacity ORDER BY id
"""
PIPELINE = """
MATCH (p:CG_Project {v: $v})-[m:MAKES]->(l:CG_Link)
WHERE l.id IN $ids AND p.status IN $statuses
RETURN l.id AS link_id,
  collect({id: p.id, name: p.name, status: p.status, capacity: m.capacity, investment: p.investment}) AS projects
"""
# one candidate as Neo4jStore.candidates reads it: firm `f` on link `l` by placement `r`
_CANDIDATE = f"""
RETURN l.id AS link_id, f.id AS id, f.name AS name, f.province AS province, f.city AS city, coalesce(f.tags, []) AS tags,
  f.registered_capital AS registered_capital, f.capital_currency AS capital_currency, f.source AS firm_source,
  f.paid_in_capital AS paid_in_capital, f.founded AS founded, f.scale AS scale, f.insured AS insured,
  f.financing AS financing,
  r.capacity AS capacity, r.evidence AS evidence, r.source AS source,
  COLLECT {{ MATCH (f)-[:SUPPLIES]-(o:{LOCAL}) RETURN o.name }}
  + COLLECT {{ MATCH (p:CG_Project)-[:BY_FIRM]->(f) RETURN p.name }} AS ties"""
CANDIDATES = """
UNWIND $ids AS id
MATCH (f:CG_Firm)-[r:OPERATES_IN]->(l:CG_Link {id: id, v: $v})
WHERE NOT f.local AND f.active""" + _CANDIDATE
# The target score of chain_graph.analysis.targets.features/score, feature by feature, computed on the
# server so that only the candidates able to reach the top `$top` of their link travel (Neo4jStore.
# candidates with a Ranking; the analysis re-scores them exactly and the store checks the two agree).
# Settings and words are parameters; each feature is null where the Python one is None.
_FEATURES = f"""
WITH l, f, r, f.registered_capital * coalesce($rates[f.capital_currency], 1.0) AS cny,
  trim(coalesce(f.financing, '')) AS financing,
  COUNT {{ MATCH (f)-[:SUPPLIES]-(o:{LOCAL}) RETURN o.name AS tie
          UNION MATCH (p:CG_Project)-[:BY_FIRM]->(f) RETURN p.name AS tie }} AS ties
WITH l, f, r, [
  ['scale', CASE WHEN cny IS NULL OR cny = 0 THEN 0.0
            ELSE round(CASE WHEN log10(1 + cny) > log10(1 + $full_scale) THEN 1.0
                            ELSE log10(1 + cny) / log10(1 + $full_scale) END, 4) END],
  ['tags', reduce(best = 0.0, tag IN coalesce(f.tags, []) |
           CASE WHEN coalesce($tag_values[tag], 0.0) > best THEN $tag_values[tag] ELSE best END)],
  ['ties', CASE WHEN ties >= 2 THEN 1.0 ELSE ties / 2.0 END],
  ['proximity', CASE WHEN f.province = $province THEN 1.0 WHEN f.province IN $neighbours THEN $neighbour ELSE 0.0 END],
  ['evidence', CASE WHEN r.capacity IS NOT NULL THEN 1.0 WHEN coalesce(r.evidence, '') <> '' THEN 0.6 ELSE 0.3 END],
  ['leader', CASE WHEN f.id IN $leader_suppliers OR l.id IN $leader_links THEN 1.0 ELSE 0.0 END],
  ['size', CASE WHEN f.insured IS NOT NULL
                THEN round(CASE WHEN log10(1 + f.insured) > log10(1 + $full_insured) THEN 1.0
                                ELSE log10(1 + f.insured) / log10(1 + $full_insured) END, 4)
                WHEN coalesce(f.scale, '') <> '' THEN $scale_values[f.scale] END],
  ['paid_in', CASE WHEN f.paid_in_capital IS NOT NULL AND coalesce(f.registered_capital, 0) <> 0
                   THEN round(CASE WHEN f.paid_in_capital > f.registered_capital THEN 1.0
                                   ELSE f.paid_in_capital / f.registered_capital END, 4) END],
  ['age', CASE WHEN f.founded IS NOT NULL
               THEN round(CASE WHEN duration.inMonths(f.founded, $today).years <= 0 THEN 0.0
                               WHEN duration.inMonths(f.founded, $today).years >= $full_age THEN 1.0
                               ELSE toFloat(duration.inMonths(f.founded, $today).years) / $full_age END, 4) END],
  ['listed', CASE WHEN financing IN ['', '-'] THEN null
                  WHEN financing IN $not_listed OR financing STARTS WITH '未' THEN 0.0
                  WHEN any(w IN $listed WHERE financing CONTAINS w) THEN 1.0
                  WHEN any(w IN $financed WHERE financing CONTAINS w) THEN $financed_value END]
] AS features
WITH l, f, r, [x IN features WHERE x[1] IS NOT NULL AND x[0] IN $features] AS known
WITH l, f, r, reduce(total = 0.0, x IN known | total + $weights[x[0]]) AS total,
  reduce(sum = 0.0, x IN known | sum + $weights[x[0]] * x[1]) AS sum
WITH l, f, r, CASE WHEN total <= 0 THEN 0.0 ELSE 100 * sum / total END AS score"""
# per link: score every candidate the filter accepts, keep those within `$margin` of the `$top`-th best
# score and every firm that supplies a chain leader (they rank first whatever their score)
BEST_CANDIDATES = """
UNWIND $ids AS id
MATCH (l:CG_Link {id: id, v: $v})
CALL (l) {
  MATCH (f:CG_Firm)-[r:OPERATES_IN]->(l)
  WHERE NOT f.local AND f.active
    AND (size($provinces) = 0 OR f.province IN $provinces)
    AND (size($tags) = 0 OR any(tag IN coalesce(f.tags, []) WHERE tag IN $tags))
    AND ($min_capital IS NULL
         OR coalesce(f.registered_capital * coalesce($rates[f.capital_currency], 1.0), 0) >= $min_capital)
    AND NOT f.id IN $exclude""" + _FEATURES + """
  ORDER BY score DESC
  WITH collect({f: f, r: r, score: score}) AS scored
  WITH scored, CASE WHEN size(scored) > $top THEN scored[$top - 1].score END AS floor
  UNWIND scored AS one
  WITH one WHERE floor IS NULL OR one.score >= floor - $margin OR one.f.id IN $leader_suppliers
  RETURN one.f AS f, one.r AS r, one.score AS score
}""" + _CANDIDATE + ", score"
# counted once per load, before the version goes live (a version never changes afterwards),
# because counting distinct firms per chain reads every placement
COUNT_CHAINS = """
MATCH (c:CG_Chain {v: $v})
CALL (c) {
  MATCH (f:CG_Firm)-[:OPERATES_IN]->(:CG_Link {chain: c.id, v: $v}) WHERE f.active
  WITH DISTINCT f
  RETURN count(f) AS firms, count(CASE WHEN f.local THEN 1 END) AS local_firms
}
CALL (c) {
  MATCH (p:CG_Project)-[:MAKES]->(:CG_Link {chain: c.id, v: $v})
  WITH DISTINCT p
  RETURN count(p) AS projects, count(p.investment) AS known,
    CASE WHEN count(p.investment) = 0 THEN null ELSE sum(p.investment) END AS investment
}
SET c.firms = firms, c.local_firms = local_firms, c.projects = projects, c.investment = investment,
  c.investment_unknown = projects - known
"""
CHAIN_COUNTS = """
MATCH (c:CG_Chain {v: $v})
RETURN c.id AS chain_id, c.firms AS firms, c.local_firms AS local_firms, c.projects AS projects,
  c.investment AS investment, c.investment_unknown AS investment_unknown
ORDER BY c.ord
"""
PROJECTS = """
MATCH (p:CG_Project {v: $v})
WHERE $chain IS NULL OR EXISTS { (p)-[:MAKES]->(:CG_Link {chain: $chain}) }
RETURN p.doc AS doc ORDER BY p.ord
"""
FIRMS = """
MATCH (f:CG_Firm {v: $v})
WHERE ($local IS NULL OR f.local = $local)
  AND ($text IS NULL OR f.name CONTAINS $text OR f.id CONTAINS toUpper($text))
  AND ($link IS NULL OR EXISTS { (f)-[:OPERATES_IN]->(:CG_Link {id: $link}) })
  AND ($chain IS NULL OR EXISTS { (f)-[:OPERATES_IN]->(:CG_Link {chain: $chain}) })
WITH f ORDER BY f.local DESC, f.name
LIMIT $limit
RETURN f.doc AS doc, f.local AS local,
  COLLECT { MATCH (f)-[r:OPERATES_IN]->(l:CG_Link)
            RETURN {id: l.id, name: l.name, capacity: r.capacity, unit: l.unit, evidence: r.evidence} } AS links
"""
COUNTS = (
    "MATCH (n) WHERE (n:" + " OR n:".join(LABELS) + ") AND n.v = $v RETURN "
    + ", ".join(f"count(CASE WHEN n:{label} THEN 1 END) AS {word}" for word, shape in NODES.items() for label in [shape.label])
)
RELATIONSHIP_COUNT = """
MATCH (n)-[r]->() WHERE (n:""" + " OR n:".join(LABELS) + """) AND n.v = $v
RETURN count(r) AS relationships
"""
TRADE_PARTNERS = """
MATCH (f:CG_Firm {id: $id, v: $v})
CALL (f) {
  MATCH (f)-[s:SUPPLIES]->(o:CG_Firm) RETURN 'customer' AS role, o, s
  UNION
  MATCH (f)<-[s:SUPPLIES]-(o:CG_Firm) RETURN 'supplier' AS role, o, s
}
RETURN role, o.id AS id, o.name AS name, o.local AS local, o.active AS active, s.product AS product
"""
# the few active local firms with a tag (链主), by link: the local chain leaders
TAGGED_LOCAL_FIRMS = f"""
MATCH (f:{LOCAL} {{v: $v}})-[r:OPERATES_IN]->(l:CG_Link)
WHERE $tag IN coalesce(f.tags, [])
RETURN l.id AS link_id, collect({{id: f.id, name: f.name, capacity: r.capacity}}) AS firms
"""
SUPPLIERS_OF = """
UNWIND $ids AS id
MATCH (s:CG_Firm)-[r:SUPPLIES]->(c:CG_Firm {id: id, v: $v})
RETURN c.id AS customer_id, s.id AS id, s.name AS name, s.local AS local, s.active AS active, r.product AS product
"""
ALL_NODES = "MATCH (n) RETURN count(n) AS nodes"

# 招商线索: the team's own records, outside the load versions (no `v`), so a load, a `--replace` or a
# clear never touches them. A save locks the node first (MERGE, then SET), so its version check and
# its write are one step for every other writer.
LEAD = "CG_Lead"
LEAD_CONSTRAINT = f"CREATE CONSTRAINT cg_lead_id IF NOT EXISTS FOR (n:{LEAD}) REQUIRE n.id IS UNIQUE"
LEAD_LOCK = f"""
MERGE (l:{LEAD} {{id: $id}}) ON CREATE SET l.version = 0
SET l.locked = true
RETURN l.version AS version, l.doc AS doc
"""
LEAD_WRITE = f"""
MATCH (l:{LEAD} {{id: $id}})
SET l += $props
REMOVE l.locked
"""
LEADS = f"MATCH (l:{LEAD}) RETURN l.doc AS doc ORDER BY l.id"
DELETE_LEADS = f"MATCH (l:{LEAD}) DELETE l"

# the search box (GraphStore.search): $words is trimmed and lower-cased; of each kind the count of all matches
# and the first $limit: an exact name or code first, then names starting with it, local firms first, shorter
# names first, then name and id. Firms: one scan, and a top-k of the matches (ORDER BY ... LIMIT), not a sort
# of every match ("有限" matches nearly all)
FIND_FIRMS = """
MATCH (f:CG_Firm {v: $v})
WITH f, toLower(f.name) AS name, toLower(f.id) AS code
WHERE name CONTAINS $words OR code CONTAINS $words
WITH collect({f: f, rank: CASE WHEN name = $words OR code = $words THEN 0 WHEN name STARTS WITH $words THEN 1 ELSE 2 END})
  AS found
CALL (found) {
  UNWIND found AS x
  WITH x.f AS f, x.rank AS rank
  ORDER BY rank, f.local DESC, size(f.name), f.name, f.id
  LIMIT $limit
  RETURN collect({id: f.id, name: f.name, province: f.province, city: f.city, local: f.local}) AS hits
}
RETURN hits, size(found) AS total
"""
FIND_LINKS = """
MATCH (l:CG_Link {v: $v})
WITH l, toLower(l.name) AS name
WHERE name CONTAINS $words OR any(k IN coalesce(l.keywords, []) WHERE toLower(k) CONTAINS $words)
WITH l, CASE WHEN name = $words OR toLower(l.id) = $words THEN 0 WHEN name STARTS WITH $words THEN 1 ELSE 2 END AS rank
ORDER BY rank, size(l.name), l.name, l.id
WITH collect({id: l.id, name: l.name, chain: l.chain}) AS found
RETURN found[..$limit] AS hits, size(found) AS total
"""
FIND_PROJECTS = """
MATCH (p:CG_Project {v: $v})
WITH p, toLower(p.name) AS name, toLower(p.id) AS code
WHERE name CONTAINS $words OR code CONTAINS $words OR toLower(coalesce(p.builder, '')) CONTAINS $words
WITH p, CASE WHEN name = $words OR code = $words THEN 0 WHEN name STARTS WITH $words THEN 1 ELSE 2 END AS rank
ORDER BY rank, size(p.name), p.name, p.id
WITH collect({id: p.id, name: p.name, status: p.status}) AS found
RETURN found[..$limit] AS hits, size(found) AS total
"""
