"""`nn.modules.module`: where PyTorch keeps ``Module`` and the global module hooks (minitorch's code lives in
``nn/module.py`` and ``nn/_module_hooks.py``; this file only gives them PyTorch's import path)."""

from .._module_hooks import (  # noqa: F401
    RemovableHandle,
    register_module_backward_hook,
    register_module_forward_hook,
    register_module_forward_pre_hook,
    register_module_full_backward_hook,
    register_module_full_backward_pre_hook,
)
from ..module import Module  # noqa: F401
