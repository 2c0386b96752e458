"""Permission predicates for decisions, products and certificates (django-rules).

Scope is part of every predicate: province staff reach their province (old units included), a
commune officer their commune (and its pre-reform predecessors), a producer account its own products.
"""
import rules

from accounts.enums import Role
from accounts.rules import is_admin, is_commune_officer, is_producer, is_province_staff
from accounts.selectors import unit_in_scope
from registrations.rules import own_producer_ids


def _product_of(obj):
    return getattr(obj, "product", obj)


@rules.predicate
def is_decision_province_staff(user, decision) -> bool:
    return decision is not None and unit_in_scope(user, decision.province, province_roles=(Role.PROVINCE_STAFF,),
                                                  commune_roles=())


@rules.predicate
def is_product_province_staff(user, obj) -> bool:
    product = _product_of(obj)
    return product is not None and unit_in_scope(user, product.commune, province_roles=(Role.PROVINCE_STAFF,),
                                                 commune_roles=())


@rules.predicate
def is_product_commune_officer(user, obj) -> bool:
    product = _product_of(obj)
    return product is not None and unit_in_scope(user, product.commune, province_roles=(),
                                                 commune_roles=(Role.COMMUNE_OFFICER,))


@rules.predicate
def is_product_owner(user, obj) -> bool:
    product = _product_of(obj)
    return product is not None and product.producer_id in own_producer_ids(user)


can_view_product = is_admin | is_product_province_staff | is_product_commune_officer | is_product_owner
can_manage_certificate = is_admin | is_product_province_staff
can_view_decision = is_admin | is_decision_province_staff
can_manage_decision = is_admin | is_decision_province_staff
# Who sees the menu entries (the lists themselves are scoped by the selectors).
can_list_decisions = is_admin | is_province_staff
can_list_certificates = is_admin | is_province_staff | is_commune_officer | is_producer

rules.add_perm("products.view_product", can_view_product)
rules.add_perm("products.view_certificate", can_view_product)
rules.add_perm("products.manage_certificate", can_manage_certificate)
rules.add_perm("products.view_decision", can_view_decision)
rules.add_perm("products.manage_decision", can_manage_decision)
rules.add_perm("products.list_decisions", can_list_decisions)
rules.add_perm("products.list_certificates", can_list_certificates)
