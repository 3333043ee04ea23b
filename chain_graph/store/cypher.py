"""Every Cypher statement of the Neo4j store, in one place.

Labels and relationship types are fixed here (never built from input); every value
is a parameter. Nodes carry `v`, the load version they belong to: a load writes a new
version beside the old, switches the active version in one transaction and deletes
the old one, so readers never see half a dataset and a failed load leaves the old.
"""

from __future__ import annotations

LABELS = ("CG_Chain", "CG_Link", "CG_Firm", "CG_Project")
META = "CG_Meta"

CONSTRAINTS = [
    *(f"CREATE CONSTRAINT {label.lower()}_id_v IF NOT EXISTS FOR (n:{label}) REQUIRE (n.id, n.v) IS UNIQUE"
      for label in LABELS),
    f"CREATE CONSTRAINT cg_meta_key IF NOT EXISTS FOR (m:{META}) REQUIRE m.key IS UNIQUE",
]

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
MERGE_OPERATES_IN = """
UNWIND $rows AS row
MATCH (f:CG_Firm {id: row.firm_id, v: $v}), (l:CG_Link {id: row.link_id, v: $v})
MERGE (f)-[r:OPERATES_IN]->(l) SET r += row.props
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
ACTIVATE = f"""
MERGE (m:{META} {{key: 'active'}})
SET m.version = $v, m.fingerprint = $fingerprint, m.region = $region
"""
# deletes one batch of a version's nodes (with their relationships); run until it deletes none
DELETE_VERSION_BATCH = (
    "MATCH (n) WHERE (n:" + " OR n:".join(LABELS) + ") AND n.v = $v "
    "WITH n LIMIT $batch DETACH DELETE n RETURN count(*) AS deleted"
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
PRESENCE = """
UNWIND $ids AS id
MATCH (l:CG_Link {id: id, v: $v})
RETURN l.id AS link_id,
  COLLECT { MATCH (f:CG_Firm)-[r:OPERATES_IN]->(l) WHERE f.local AND f.active
            RETURN {id: f.id, name: f.name, capacity: r.capacity} } AS firms,
  COLLECT { MATCH (p:CG_Project)-[m:MAKES]->(l) WHERE p.status IN $pipeline
            RETURN {id: p.id, name: p.name, status: p.status, capacity: m.capacity, investment: p.investment} }
    AS pipeline
"""
CANDIDATES = """
UNWIND $ids AS id
MATCH (f:CG_Firm)-[r:OPERATES_IN]->(l:CG_Link {id: id, v: $v})
WHERE NOT f.local AND f.active
RETURN l.id AS link_id, f.doc AS firm, r.capacity AS capacity, r.evidence AS evidence, r.source AS source,
  COLLECT { MATCH (f)-[:SUPPLIES]-(o:CG_Firm) WHERE o.local AND o.active RETURN o.name }
  + COLLECT { MATCH (p:CG_Project)-[:BY_FIRM]->(f) RETURN p.name } AS ties
"""
CHAIN_COUNTS = """
MATCH (c:CG_Chain {v: $v})
RETURN c.id AS chain_id,
  COLLECT { MATCH (f:CG_Firm)-[:OPERATES_IN]->(l:CG_Link {chain: c.id, v: $v}) WHERE f.active
            RETURN DISTINCT [f.id, f.local] } AS firms,
  COLLECT { MATCH (p:CG_Project)-[:MAKES]->(l:CG_Link {chain: c.id, v: $v})
            RETURN DISTINCT [p.id, coalesce(p.investment, 0.0)] } AS projects
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
COUNTS = """
MATCH (n) WHERE (n:""" + " OR n:".join(LABELS) + """) AND n.v = $v
WITH labels(n)[0] AS label, count(*) AS nodes
RETURN label, nodes
"""
RELATIONSHIP_COUNT = """
MATCH (n)-[r]->() WHERE (n:""" + " OR n:".join(LABELS) + """) AND n.v = $v
RETURN count(r) AS relationships
"""
