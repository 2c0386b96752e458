"""Who imports and exports: the province's OCOP staff (their province, old units included) and the administrator
(every province). Anyone else gets 404."""
import rules

from accounts.enums import Role
from accounts.rules import is_admin, is_province_staff
from accounts.selectors import user_scope


@rules.predicate
def is_batch_province_staff(user, batch) -> bool:
    return batch is not None and batch.province_id in user_scope(user).unit_ids(Role.PROVINCE_STAFF)


can_import = is_admin | is_province_staff
can_view_batch = is_admin | is_batch_province_staff

rules.add_perm("imports.import", can_import)
rules.add_perm("imports.view_batch", can_view_batch)
