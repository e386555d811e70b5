"""The DCAT catalog of the published datasets (DCAT 2, dcterms, vcard, foaf), built with rdflib.

rdflib is imported inside ``catalog_graph`` only (it is heavy and only these two URLs need it).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from codi.opendata import ckan, selectors

FREQUENCIES = {
    "daily": "http://purl.org/cld/freq/daily",
    "weekly": "http://purl.org/cld/freq/weekly",
    "monthly": "http://purl.org/cld/freq/monthly",
    "quarterly": "http://purl.org/cld/freq/quarterly",
    "yearly": "http://purl.org/cld/freq/annual",
    "on_change": "http://purl.org/cld/freq/irregular",
}


def catalog_graph(request: HttpRequest) -> Any:
    # heavy: rdflib is loaded only when the DCAT catalog is asked for
    from rdflib import BNode, Graph, Literal, Namespace, URIRef
    from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, XSD

    vcard = Namespace("http://www.w3.org/2006/vcard/ns#")
    graph = Graph()
    for prefix, namespace in {"dcat": DCAT, "dct": DCTERMS, "foaf": FOAF, "vcard": vcard}.items():
        graph.bind(prefix, namespace)
    home = request.build_absolute_uri(reverse("opendata:dataset_list"))
    catalog = URIRef(request.build_absolute_uri(reverse("opendata:catalog_ttl")).removesuffix(".ttl"))
    publisher = URIRef(home + "#codi")
    graph.add((catalog, RDF.type, DCAT.Catalog))
    graph.add((catalog, DCTERMS.title, Literal("ข้อมูลเปิด พอช.", lang="th")))
    graph.add((catalog, DCTERMS.title, Literal("CODI Open Data", lang="en")))
    graph.add((catalog, DCTERMS.description, Literal("ชุดข้อมูลเปิดของสถาบันพัฒนาองค์กรชุมชน", lang="th")))
    graph.add((catalog, DCTERMS.language, URIRef("http://id.loc.gov/vocabulary/iso639-1/th")))
    graph.add((catalog, FOAF.homepage, URIRef(home)))
    graph.add((catalog, DCTERMS.publisher, publisher))
    graph.add((publisher, RDF.type, FOAF.Organization))
    graph.add((publisher, FOAF.name, Literal(selectors.ORGANIZATION["title"], lang="th")))
    graph.add((publisher, FOAF.name, Literal(selectors.ORGANIZATION["title_en"], lang="en")))
    for dataset in selectors.published_datasets().prefetch_related("resources"):
        page = request.build_absolute_uri(reverse("opendata:dataset", args=[dataset.name]))
        node = URIRef(page)
        graph.add((catalog, DCAT.dataset, node))
        graph.add((node, RDF.type, DCAT.Dataset))
        graph.add((node, DCTERMS.identifier, Literal(str(dataset.ckan_id))))
        graph.add((node, DCTERMS.title, Literal(dataset.title_th, lang="th")))
        if dataset.title_en:
            graph.add((node, DCTERMS.title, Literal(dataset.title_en, lang="en")))
        graph.add((node, DCTERMS.description, Literal(dataset.description, lang="th")))
        graph.add(
            (node, DCTERMS.issued, Literal(dataset.metadata_created.isoformat(), datatype=XSD.dateTime))
        )
        graph.add(
            (node, DCTERMS.modified, Literal(dataset.metadata_modified.isoformat(), datatype=XSD.dateTime))
        )
        graph.add((node, DCTERMS.publisher, publisher))
        graph.add((node, DCTERMS.spatial, Literal(dataset.geographic_coverage, lang="th")))
        graph.add(
            (
                node,
                DCTERMS.type,
                Literal(ckan.DATA_TYPE_TH.get(dataset.data_type, dataset.data_type), lang="th"),
            )
        )
        graph.add((node, DCAT.theme, Literal(dataset.data_category, lang="th")))
        graph.add((node, DCAT.landingPage, URIRef(page)))
        graph.add((node, DCTERMS.accessRights, Literal("public")))
        if dataset.update_frequency in FREQUENCIES:
            graph.add((node, DCTERMS.accrualPeriodicity, URIRef(FREQUENCIES[dataset.update_frequency])))
        license_url = selectors.LICENSES.get(dataset.license_id, ("", ""))[1]
        for keyword in dataset.keywords:
            graph.add((node, DCAT.keyword, Literal(keyword, lang="th")))
        contact = BNode()
        graph.add((node, DCAT.contactPoint, contact))
        graph.add((contact, RDF.type, vcard.Organization))
        graph.add((contact, vcard.fn, Literal(dataset.contact_name)))
        if dataset.contact_email:
            graph.add((contact, vcard.hasEmail, URIRef(f"mailto:{dataset.contact_email}")))
        for resource in dataset.resources.all():
            if not resource.table_name:
                continue
            for fmt in ckan.DOWNLOAD_FORMATS:
                url = ckan.download_url(request, resource, fmt)
                distribution = URIRef(url)
                graph.add((node, DCAT.distribution, distribution))
                graph.add((distribution, RDF.type, DCAT.Distribution))
                graph.add(
                    (distribution, DCTERMS.title, Literal(f"{resource.name} ({fmt.upper()})", lang="th"))
                )
                graph.add((distribution, DCAT.accessURL, URIRef(page)))
                graph.add((distribution, DCAT.downloadURL, distribution))
                graph.add(
                    (
                        distribution,
                        DCAT.mediaType,
                        URIRef(f"https://www.iana.org/assignments/media-types/{ckan.MEDIA_TYPES[fmt]}"),
                    )
                )
                graph.add((distribution, DCTERMS.format, Literal(fmt.upper())))
                graph.add(
                    (
                        distribution,
                        DCTERMS.modified,
                        Literal(resource.last_modified.isoformat(), datatype=XSD.dateTime),
                    )
                )
                if license_url:
                    graph.add((distribution, DCTERMS.license, URIRef(license_url)))
        if license_url:
            graph.add((node, DCTERMS.license, URIRef(license_url)))
    return graph
